package io.mlvpn.core.wire;

/**
 * The 16-byte KEEPALIVE payload: what one side received on a link from the other (see
 * docs/protocol.md, section 6). Static, allocation-free codec.
 */
public final class ReceiveReport {
    /** Payload length in bytes. */
    public static final int LENGTH = 16;

    private ReceiveReport() {
    }

    /** Writes a report at {@code off}. */
    public static void write(byte[] b, int off, long highestSequence, long packetsReceived, long bytesReceived) {
        Header.putInt(b, off, (int) highestSequence);
        Header.putInt(b, off + 4, (int) packetsReceived);
        Header.putLong(b, off + 8, bytesReceived);
    }

    /** Low 32 bits of the highest sequence received, unsigned. */
    public static long highestSequenceLow(byte[] b, int off) {
        return Header.getInt(b, off) & 0xFFFF_FFFFL;
    }

    /** Packets received modulo 2^32, unsigned. */
    public static long packetsReceivedLow(byte[] b, int off) {
        return Header.getInt(b, off + 4) & 0xFFFF_FFFFL;
    }

    /** Bytes received modulo 2^64. */
    public static long bytesReceived(byte[] b, int off) {
        return Header.getLong(b, off + 8);
    }
}
