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
     * with zero) to {@code sum}. Reads 64 bits at a time and adds their two 32-bit halves: 2^16
     * is 1 in one's complement arithmetic, so a wider word counts as the sum of its 16-bit parts,
     * and the 64-bit sum cannot overflow for any packet (each step adds under 2^33). This loop is
     * the device's hottest code with offloads on (a pass over every TCP segment split or joined),
     * and 8-byte reads halve it against 4-byte ones.
     */
    static long add(ByteBuffer b, int from, int length, long sum) {
        int i = from;
        int end = from + length;
        for (; i + 8 <= end; i += 8) {
            long w = b.getLong(i);
            sum += (w >>> 32) + (w & 0xffffffffL);
        }
        if (i + 4 <= end) {
            sum += b.getInt(i) & 0xffffffffL;
            i += 4;
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
