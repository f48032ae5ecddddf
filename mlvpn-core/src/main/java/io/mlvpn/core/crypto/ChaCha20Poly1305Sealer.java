package io.mlvpn.core.crypto;

import io.mlvpn.api.crypto.CipherSuite;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * ChaCha20-Poly1305 (RFC 8439) on the JDK's {@code ChaCha20-Poly1305} cipher. Not safe for
 * concurrent use.
 */
final class ChaCha20Poly1305Sealer extends JdkAeadSealer {

    /** Holds one MTU-sized packet from the start; grows (rarely) to the largest packet opened. */
    private static final int INITIAL_STAGING_BYTES = 2048;

    private byte[] staging = new byte[INITIAL_STAGING_BYTES];

    ChaCha20Poly1305Sealer(byte[] key) throws GeneralSecurityException {
        super(CipherSuite.CHACHA20_POLY1305, "ChaCha20-Poly1305", "ChaCha20", key);
    }

    @Override
    AlgorithmParameterSpec nonceSpec(byte[] nonce) {
        return new IvParameterSpec(nonce);
    }

    /**
     * Decrypts from a copy that starts at index 0. The JDK 17 provider copies the whole sealed
     * payload into a growing internal buffer (about 3.5 KB of garbage for 1400 bytes) unless its
     * input starts at index 0 of its array; a 1400-byte copy costs tens of nanoseconds.
     */
    @Override
    int decryptInPlace(Cipher cipher, byte[] buf, int from, int length) throws GeneralSecurityException {
        byte[] s = staging;
        if (s.length < length) {
            s = new byte[length];
            staging = s;
        }
        System.arraycopy(buf, from, s, 0, length);
        return cipher.doFinal(s, 0, length, buf, from);
    }
}
