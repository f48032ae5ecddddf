package io.mlvpn.core.session;

import io.mlvpn.core.wire.Header;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies handshake packets: {@code HMAC-SHA256(handshakeKey, header || payload)}
 * truncated to {@value Header#TAG_LENGTH} bytes, appended to the packet (docs/protocol.md,
 * section 4). Verification compares in constant time.
 *
 * <p>Not thread-safe: one thread at a time (take one per thread from {@link HandshakeKey#newMac()}).
 * This class allocates nothing after construction; the JDK {@link Mac} may allocate internally.
 */
public final class HandshakeMac {
    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;
    private final byte[] full = new byte[32];
    private final byte[] received = new byte[Header.TAG_LENGTH];
    private final byte[] expected = new byte[Header.TAG_LENGTH];

    HandshakeMac(byte[] key) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Appends the tag over {@code b[off, off + lengthWithoutTag)} at {@code off + lengthWithoutTag}.
     *
     * @throws IndexOutOfBoundsException when the packet and its tag do not fit in {@code b}
     */
    public void sign(byte[] b, int off, int lengthWithoutTag) {
        Objects.checkFromIndexSize(off, lengthWithoutTag + Header.TAG_LENGTH, b.length);
        computeInto(b, off, lengthWithoutTag);
        System.arraycopy(full, 0, b, off + lengthWithoutTag, Header.TAG_LENGTH);
    }

    /**
     * Checks the tag at the end of {@code b[off, off + totalLength)}.
     *
     * @return false when the tag is wrong or {@code totalLength} is shorter than a tag
     * @throws IndexOutOfBoundsException when the range lies outside {@code b}
     */
    public boolean verify(byte[] b, int off, int totalLength) {
        if (totalLength < Header.TAG_LENGTH) {
            return false;
        }
        Objects.checkFromIndexSize(off, totalLength, b.length);
        int signedLength = totalLength - Header.TAG_LENGTH;
        computeInto(b, off, signedLength);
        System.arraycopy(full, 0, expected, 0, Header.TAG_LENGTH);
        System.arraycopy(b, off + signedLength, received, 0, Header.TAG_LENGTH);
        return MessageDigest.isEqual(expected, received);
    }

    private void computeInto(byte[] b, int off, int length) {
        mac.update(b, off, length);
        try {
            mac.doFinal(full, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC output buffer too small", e);
        }
    }
}
