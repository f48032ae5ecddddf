package io.mlvpn.core.crypto;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link PacketSealer} on a JDK {@link Cipher}: one reused cipher per direction, initialised with
 * the {@code (nonceId, counter)} nonce before every packet, working in place on the caller's array.
 *
 * <p>The only per-packet allocations are the JDK's own in {@code init} and {@code doFinal} (its
 * parameter spec copies the nonce, the provider builds fresh engine state); everything this class
 * adds is allocation-free. A failed open costs the JDK's {@code AEADBadTagException}.
 *
 * <p>Not safe for concurrent use.
 */
abstract class JdkAeadSealer implements PacketSealer {

    static final int KEY_LENGTH = 32;
    static final int NONCE_LENGTH = 12;
    private static final int TAG_LENGTH = CipherSuite.TAG_LENGTH;

    private final CipherSuite suite;
    private final SecretKeySpec key;
    private final Cipher sealCipher;
    private final Cipher openCipher;
    /** Rewritten before every init; the JDK's parameter specs copy it, so reuse is safe. */
    private final byte[] nonce = new byte[NONCE_LENGTH];
    /** The nonce of the open cipher's last init, to step around the JDK's repeated-nonce check. */
    private boolean openCipherUsed;
    private int lastOpenNonceId;
    private long lastOpenCounter;

    /**
     * @param key 32 bytes, copied
     * @throws GeneralSecurityException when the JDK lacks the transformation
     */
    JdkAeadSealer(CipherSuite suite, String transformation, String keyAlgorithm, byte[] key)
            throws GeneralSecurityException {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("key length != " + KEY_LENGTH + ": " + key.length);
        }
        this.suite = suite;
        this.key = new SecretKeySpec(key, keyAlgorithm); // copies the bytes
        this.sealCipher = Cipher.getInstance(transformation);
        this.openCipher = Cipher.getInstance(transformation);
    }

    /** The cipher's parameters for this nonce (the spec must copy the array). */
    abstract AlgorithmParameterSpec nonceSpec(byte[] nonce);

    /**
     * Authenticates and decrypts {@code buf[from, from + length)} (ciphertext then tag) in place,
     * after the cipher was initialised and given the associated data.
     *
     * @return the plaintext length
     * @throws GeneralSecurityException when authentication fails
     */
    int decryptInPlace(Cipher cipher, byte[] buf, int from, int length) throws GeneralSecurityException {
        return cipher.doFinal(buf, from, length, buf, from);
    }

    @Override
    public final CipherSuite suite() {
        return suite;
    }

    @Override
    public final int seal(int nonceId, long counter, byte[] buf, int offset, int aadLength, int payloadLength) {
        if (offset < 0 || aadLength < 0 || payloadLength < 0
                || (long) offset + aadLength + payloadLength + TAG_LENGTH > buf.length) {
            throw new IndexOutOfBoundsException("seal: offset " + offset + " + aad " + aadLength + " + payload "
                    + payloadLength + " + tag " + TAG_LENGTH + " > buffer " + buf.length);
        }
        int payloadOffset = offset + aadLength;
        try {
            sealCipher.init(Cipher.ENCRYPT_MODE, key, nonceSpec(fillNonce(nonceId, counter)));
            sealCipher.updateAAD(buf, offset, aadLength);
            return aadLength + sealCipher.doFinal(buf, payloadOffset, payloadLength, buf, payloadOffset);
        } catch (GeneralSecurityException e) {
            // The JDK refuses to encrypt twice in a row under the same nonce: a caller bug.
            throw new IllegalStateException(suite.configName() + " seal failed (nonceId " + nonceId
                    + ", counter " + counter + ")", e);
        }
    }

    @Override
    public final int open(int nonceId, long counter, byte[] buf, int offset, int aadLength, int sealedPayloadLength) {
        if (offset < 0 || aadLength < 0 || sealedPayloadLength < TAG_LENGTH
                || (long) offset + aadLength + sealedPayloadLength > buf.length) {
            return -1;
        }
        try {
            if (openCipherUsed && nonceId == lastOpenNonceId && counter == lastOpenCounter) {
                // JDK 17's ChaCha20 refuses an init repeating the previous key and nonce even to
                // decrypt. A duplicate, or the genuine packet after a forgery carrying its number,
                // must be judged by its tag, so init once with another nonce first (rare path).
                openCipher.init(Cipher.DECRYPT_MODE, key, nonceSpec(fillNonce(~nonceId, counter)));
            }
            openCipher.init(Cipher.DECRYPT_MODE, key, nonceSpec(fillNonce(nonceId, counter)));
            openCipherUsed = true;
            lastOpenNonceId = nonceId;
            lastOpenCounter = counter;
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            // Key and nonce length are fixed here, so this is a broken provider, not bad input.
            throw new IllegalStateException(suite.configName() + " open: cipher init failed", e);
        }
        try {
            openCipher.updateAAD(buf, offset, aadLength);
            return decryptInPlace(openCipher, buf, offset + aadLength, sealedPayloadLength);
        } catch (GeneralSecurityException e) {
            // AEADBadTagException above all; whatever the packet did wrong, it is not accepted.
            return -1;
        }
    }

    private byte[] fillNonce(int nonceId, long counter) {
        byte[] n = nonce;
        n[0] = (byte) (nonceId >>> 24);
        n[1] = (byte) (nonceId >>> 16);
        n[2] = (byte) (nonceId >>> 8);
        n[3] = (byte) nonceId;
        n[4] = (byte) (counter >>> 56);
        n[5] = (byte) (counter >>> 48);
        n[6] = (byte) (counter >>> 40);
        n[7] = (byte) (counter >>> 32);
        n[8] = (byte) (counter >>> 24);
        n[9] = (byte) (counter >>> 16);
        n[10] = (byte) (counter >>> 8);
        n[11] = (byte) counter;
        return n;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + suite.configName() + ", key redacted]";
    }
}
