package io.mlvpn.api.device;

/**
 * Builds valid IPv4/UDP packets (correct header and UDP checksums) for device tests, so that a
 * real tun device and the kernel behind it accept and route them.
 */
public final class Ipv4UdpPackets {
    /** IPv4 header (20) plus UDP header (8). */
    public static final int HEADERS_BYTES = 28;

    private Ipv4UdpPackets() {
    }

    /**
     * A packet of {@code length} bytes whose payload bytes depend on their index and the length.
     *
     * @param length  {@value #HEADERS_BYTES} to 65535
     * @param source  4-byte IPv4 source address
     * @param destination 4-byte IPv4 destination address
     */
    public static byte[] build(int length, byte[] source, int sourcePort, byte[] destination, int destinationPort) {
        if (length < HEADERS_BYTES || length > 65535) {
            throw new IllegalArgumentException("length outside " + HEADERS_BYTES + "..65535: " + length);
        }
        if (source.length != 4 || destination.length != 4) {
            throw new IllegalArgumentException("IPv4 addresses have 4 bytes");
        }
        byte[] p = new byte[length];
        p[0] = 0x45;                       // version 4, header 5 words
        putShort(p, 2, length);            // total length
        putShort(p, 4, length);            // identification
        p[6] = 0x40;                       // don't fragment
        p[8] = 64;                         // TTL
        p[9] = 17;                         // UDP
        System.arraycopy(source, 0, p, 12, 4);
        System.arraycopy(destination, 0, p, 16, 4);
        putShort(p, 10, checksum(p, 0, 20, 0));

        int udpLength = length - 20;
        putShort(p, 20, sourcePort);
        putShort(p, 22, destinationPort);
        putShort(p, 24, udpLength);
        for (int i = HEADERS_BYTES; i < length; i++) {
            p[i] = (byte) (i * 7 + length);
        }
        long pseudo = sum(p, 12, 8) + 17 + udpLength;
        int udpChecksum = checksum(p, 20, udpLength, pseudo);
        putShort(p, 26, udpChecksum == 0 ? 0xFFFF : udpChecksum);
        return p;
    }

    private static void putShort(byte[] p, int index, int value) {
        p[index] = (byte) (value >>> 8);
        p[index + 1] = (byte) value;
    }

    /** Sum of big-endian 16-bit words, an odd last byte padded with zero. */
    private static long sum(byte[] p, int offset, int length) {
        long sum = 0;
        int i = offset;
        for (int end = offset + length - 1; i < end; i += 2) {
            sum += ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (p[offset + length - 1] & 0xFF) << 8;
        }
        return sum;
    }

    /** The Internet checksum (RFC 1071) of {@code p[offset, offset + length)} plus {@code initial}. */
    private static int checksum(byte[] p, int offset, int length, long initial) {
        long sum = initial + sum(p, offset, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
