package io.mlvpn.tun.linux;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) over big-endian bytes of a {@link ByteBuffer}, kept as an
 * unfolded 64-bit sum so that parts (pseudo-header, header, payload) add up before one fold.
 * Stateless.
 */
final class InetChecksum {
    /** IP protocol number of TCP. */
    static final int PROTOCOL_TCP = 6;

    private InetChecksum() {
    }

    /**
     * Adds bytes {@code [from, from + length)} as 16-bit big-endian words (an odd last byte padded
     * with zero) to {@code sum}. Reads 32 bits at a time: 2^16 is 1 in one's complement arithmetic,
     * so a 32-bit word counts as the sum of its two halves.
     */
    static long add(ByteBuffer b, int from, int length, long sum) {
        int i = from;
        int end = from + length;
        for (; i + 4 <= end; i += 4) {
            sum += b.getInt(i) & 0xffffffffL;
        }
        if (i + 2 <= end) {
            sum += b.getShort(i) & 0xffff;
            i += 2;
        }
        if (i < end) {
            sum += (b.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** The sum folded to 16 bits (not complemented). */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum field value for data summing to {@code sum}: folded and complemented. */
    static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /**
     * The pseudo-header sum of the IPv4 or IPv6 packet at {@code ip}: addresses, protocol and the
     * transport length.
     */
    static long pseudoHeader(ByteBuffer b, int ip, boolean ipv6, int protocol, int transportLength) {
        long sum = ipv6 ? add(b, ip + 8, 32, 0) : add(b, ip + 12, 8, 0);
        return sum + protocol + (transportLength >>> 16) + (transportLength & 0xffff);
    }
}
