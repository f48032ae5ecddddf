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
 * section 4). An answer to an INIT is bound to it: its MAC also covers the INIT's offer, which is
 * not sent again (section 5). Verification compares in constant time.
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
        sign(b, off, lengthWithoutTag, b, 0, 0);
    }

    /**
     * Like {@link #sign(byte[], int, int)}, the tag also covering {@code bound[boundOff,
     * boundOff + boundLength)}, which follows the packet in the MAC's input but not on the wire.
     */
    void sign(byte[] b, int off, int lengthWithoutTag, byte[] bound, int boundOff, int boundLength) {
        Objects.checkFromIndexSize(off, lengthWithoutTag + Header.TAG_LENGTH, b.length);
        Objects.checkFromIndexSize(boundOff, boundLength, bound.length);
        computeInto(b, off, lengthWithoutTag, bound, boundOff, boundLength);
        System.arraycopy(full, 0, b, off + lengthWithoutTag, Header.TAG_LENGTH);
    }

    /**
     * Checks the tag at the end of {@code b[off, off + totalLength)}.
     *
     * @return false when the tag is wrong or {@code totalLength} is shorter than a tag
     * @throws IndexOutOfBoundsException when the range lies outside {@code b}
     */
    public boolean verify(byte[] b, int off, int totalLength) {
        return verify(b, off, totalLength, b, 0, 0);
    }

    /** Like {@link #verify(byte[], int, int)} for a tag that also covers {@code bound} (see {@link #sign}). */
    boolean verify(byte[] b, int off, int totalLength, byte[] bound, int boundOff, int boundLength) {
        if (totalLength < Header.TAG_LENGTH) {
            return false;
        }
        Objects.checkFromIndexSize(off, totalLength, b.length);
        Objects.checkFromIndexSize(boundOff, boundLength, bound.length);
        int signedLength = totalLength - Header.TAG_LENGTH;
        computeInto(b, off, signedLength, bound, boundOff, boundLength);
        System.arraycopy(full, 0, expected, 0, Header.TAG_LENGTH);
        System.arraycopy(b, off + signedLength, received, 0, Header.TAG_LENGTH);
        return MessageDigest.isEqual(expected, received);
    }

    private void computeInto(byte[] b, int off, int length, byte[] bound, int boundOff, int boundLength) {
        mac.update(b, off, length);
        mac.update(bound, boundOff, boundLength);
        try {
            mac.doFinal(full, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC output buffer too small", e);
        }
    }
}
