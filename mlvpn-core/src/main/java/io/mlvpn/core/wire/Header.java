package io.mlvpn.core.wire;

/**
 * Reads and writes the 16-byte protocol header in place in a heap array (see docs/protocol.md,
 * section 2). Stateless; every method is allocation-free and safe for concurrent use.
 */
public final class Header {
    /** Protocol version carried in every header. */
    public static final int VERSION = 2;
    /** Header length in bytes. */
    public static final int LENGTH = 16;
    /** Authentication tag (or truncated HMAC) length in bytes. */
    public static final int TAG_LENGTH = 16;
    /** Per-packet overhead of the protocol: header plus tag. */
    public static final int OVERHEAD = LENGTH + TAG_LENGTH;
    /** Offset of the type-specific word (the data sequence of DATA). */
    public static final int WORD_OFFSET = 12;
    /** Offset of the sender's link id. */
    public static final int LINK_ID_OFFSET = 1;
    /** Offset of the sender's 16-bit stamp. */
    public static final int STAMP_OFFSET = 8;
    /** Value of the echo field meaning "no echo". */
    public static final int NO_ECHO = 0xFFFF;
    /** Highest link id a sender may use. */
    public static final int MAX_LINK_ID = 249;

    /** {@link #check} result: the header is well-formed. */
    public static final int OK = 0;
    /** {@link #check} result: shorter than header plus tag. */
    public static final int TOO_SHORT = 1;
    /** {@link #check} result: a version other than {@link #VERSION}. */
    public static final int BAD_VERSION = 2;
    /** {@link #check} result: a type this version does not know. */
    public static final int BAD_TYPE = 3;
    /** {@link #check} result: session id 0. */
    public static final int BAD_SESSION = 4;

    private Header() {
    }

    /**
     * Writes a header.
     *
     * @param seq the full 64-bit sequence; its low 32 bits are written
     * @param word the type-specific word; its low 32 bits are written
     */
    public static void write(byte[] b, int off, int type, int linkId, int sessionId, long seq, int stamp, int echo,
            long word) {
        b[off] = (byte) (VERSION << 4 | (type & 0x0F));
        b[off + LINK_ID_OFFSET] = (byte) linkId;
        putShort(b, off + 2, sessionId);
        putInt(b, off + 4, (int) seq);
        putShort(b, off + STAMP_OFFSET, stamp);
        putShort(b, off + 10, echo);
        putInt(b, off + WORD_OFFSET, (int) word);
    }

    /**
     * Checks what can be checked before authentication.
     *
     * @param length bytes of the datagram starting at {@code off}
     * @return {@link #OK} or the reason to drop it
     */
    public static int check(byte[] b, int off, int length) {
        if (length < OVERHEAD) {
            return TOO_SHORT;
        }
        if (version(b, off) != VERSION) {
            return BAD_VERSION;
        }
        if (!PacketType.isKnown(type(b, off))) {
            return BAD_TYPE;
        }
        if (sessionId(b, off) == 0) {
            return BAD_SESSION;
        }
        return OK;
    }

    /** Protocol version nibble. */
    public static int version(byte[] b, int off) {
        return (b[off] >> 4) & 0x0F;
    }

    /** Packet type nibble. */
    public static int type(byte[] b, int off) {
        return b[off] & 0x0F;
    }

    /** Sender's link id. */
    public static int linkId(byte[] b, int off) {
        return b[off + LINK_ID_OFFSET] & 0xFF;
    }

    /** Session id. */
    public static int sessionId(byte[] b, int off) {
        return getShort(b, off + 2);
    }

    /** Low 32 bits of the sender's link sequence, as an unsigned value. */
    public static long sequenceLow(byte[] b, int off) {
        return getInt(b, off + 4) & 0xFFFF_FFFFL;
    }

    /** Sender's stamp, 100 µs units modulo 65536. */
    public static int stamp(byte[] b, int off) {
        return getShort(b, off + STAMP_OFFSET);
    }

    /** Echoed stamp, or {@link #NO_ECHO}. */
    public static int echo(byte[] b, int off) {
        return getShort(b, off + 10);
    }

    /** The type-specific word, unsigned 32 bits. */
    public static long word(byte[] b, int off) {
        return getInt(b, off + WORD_OFFSET) & 0xFFFF_FFFFL;
    }

    /** Big-endian 16-bit store. */
    public static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** Big-endian 32-bit store. */
    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Big-endian 64-bit store. */
    public static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    /** Big-endian unsigned 16-bit load. */
    public static int getShort(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    /** Big-endian 32-bit load. */
    public static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    /** Big-endian 64-bit load. */
    public static long getLong(byte[] b, int off) {
        return (long) getInt(b, off) << 32 | (getInt(b, off + 4) & 0xFFFF_FFFFL);
    }
}
