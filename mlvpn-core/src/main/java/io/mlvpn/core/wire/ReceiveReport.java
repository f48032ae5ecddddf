package io.mlvpn.core.wire;

/**
 * The KEEPALIVE payload: what one side received on a link from the other (see docs/protocol.md,
 * section 6): 16 bytes, then (from engines that probe path MTUs) the largest datagram received
 * lately, then any padding (a path-MTU probe). Static, allocation-free codec.
 */
public final class ReceiveReport {
    /** Length of the report every engine sends and reads, in bytes. */
    public static final int LENGTH = 16;
    /** Length of the report with the largest datagram received, in bytes. */
    public static final int EXTENDED_LENGTH = LENGTH + 4;

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

    /** Writes the largest datagram received lately, after a report at {@code off}. */
    public static void writeLargestDatagram(byte[] b, int off, int largest) {
        Header.putInt(b, off + LENGTH, largest);
    }

    /** The largest datagram received lately, from an extended report at {@code off}; unsigned. */
    public static long largestDatagram(byte[] b, int off) {
        return Header.getInt(b, off + LENGTH) & 0xFFFF_FFFFL;
    }
}
