package io.mlvpn.benchmarks;

import io.mlvpn.api.crypto.CipherSuite;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reference for the sealers: what a careful caller writes with the JDK alone. One reused
 * {@link Cipher} per direction, {@code init} with a new parameter spec for the
 * {@code (nonceId, counter)} nonce before every packet, associated data, then {@code doFinal} in
 * place on the caller's array. Nothing of mlvpn's, so the difference to a sealer is what the
 * sealer adds.
 *
 * <p>Not safe for concurrent use.
 */
final class BareJdkAead {
    private static final int TAG_BITS = CipherSuite.TAG_LENGTH * 8;

    private final CipherSuite suite;
    private final SecretKeySpec key;
    private final Cipher sealCipher;
    private final Cipher openCipher;
    private final byte[] nonce = new byte[12];

    BareJdkAead(CipherSuite suite, byte[] key) throws GeneralSecurityException {
        this.suite = suite;
        boolean gcm = suite == CipherSuite.AES_256_GCM;
        this.key = new SecretKeySpec(key, gcm ? "AES" : "ChaCha20");
        String transformation = gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305";
        this.sealCipher = Cipher.getInstance(transformation);
        this.openCipher = Cipher.getInstance(transformation);
    }

    /** Initialises the seal cipher for {@code counter} and nothing else: the JDK's per-packet allocation. */
    Cipher initOnly(long counter) throws GeneralSecurityException {
        sealCipher.init(Cipher.ENCRYPT_MODE, key, spec(counter));
        return sealCipher;
    }

    /** Seals {@code payloadLength} bytes after {@code aadLength} header bytes in place; returns the sealed length. */
    int seal(long counter, byte[] buf, int aadLength, int payloadLength) throws GeneralSecurityException {
        sealCipher.init(Cipher.ENCRYPT_MODE, key, spec(counter));
        sealCipher.updateAAD(buf, 0, aadLength);
        return aadLength + sealCipher.doFinal(buf, aadLength, payloadLength, buf, aadLength);
    }

    /** Opens in place; returns the payload length (throws when the tag does not verify). */
    int open(long counter, byte[] buf, int aadLength, int sealedPayloadLength) throws GeneralSecurityException {
        openCipher.init(Cipher.DECRYPT_MODE, key, spec(counter));
        openCipher.updateAAD(buf, 0, aadLength);
        return openCipher.doFinal(buf, aadLength, sealedPayloadLength, buf, aadLength);
    }

    private AlgorithmParameterSpec spec(long counter) {
        byte[] n = nonce;
        n[0] = 0;
        n[1] = 0;
        n[2] = 0;
        n[3] = 1;
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        // Both specs copy the array, so reusing it is safe.
        return suite == CipherSuite.AES_256_GCM ? new GCMParameterSpec(TAG_BITS, n) : new IvParameterSpec(n);
    }
}
