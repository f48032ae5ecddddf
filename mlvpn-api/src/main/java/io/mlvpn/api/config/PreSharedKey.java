package io.mlvpn.api.config;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The 32-byte secret both ends share; it authenticates the handshake. Instances are immutable:
 * bytes are copied in and out, compared in constant time and never printed.
 */
public final class PreSharedKey {
    /** Key length in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private PreSharedKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Wraps a copy of {@code key}.
     *
     * @throws IllegalArgumentException when it is not {@value #LENGTH} bytes long
     */
    public static PreSharedKey of(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("pre-shared key must be " + LENGTH + " bytes, not " + key.length);
        }
        return new PreSharedKey(key.clone());
    }

    /** A copy of the key bytes; the caller should wipe it after use. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Constant-time comparison. */
    public boolean sameAs(PreSharedKey other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreSharedKey && sameAs((PreSharedKey) o);
    }

    @Override
    public int hashCode() {
        // Deliberately constant: a hash of the secret would leak bits of it.
        return PreSharedKey.class.hashCode();
    }

    @Override
    public String toString() {
        return "PreSharedKey[redacted]";
    }

    /** Overwrites this key's bytes with zeros; the key is unusable afterwards. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }
}
