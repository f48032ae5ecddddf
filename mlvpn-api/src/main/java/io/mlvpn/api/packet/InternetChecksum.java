package io.mlvpn.api.packet;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) of TCP and UDP packets, and the <em>partial</em> checksums
 * Linux passes between its stack and offload-capable devices ({@code CHECKSUM_PARTIAL}): a
 * transport checksum field that holds only the folded, uncomplemented pseudo-header sum, to be
 * completed over the bytes from {@code csum_start} by whoever sends the packet on. Devices with
 * offloads and the engine use it to carry such packets across the tunnel without summing their
 * payload twice; a device that cannot take them gets them completed here.
 *
 * <p>Sums are kept unfolded in a {@code long} so that parts (pseudo-header, headers, payload) add
 * up before one fold. Every method is stateless and allocation-free.
 */
public final class InternetChecksum {
    /** IP protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;
    /** IP protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;
    /** Offset of the checksum field in a TCP header. */
    public static final int TCP_CHECKSUM_OFFSET = 16;
    /** Offset of the checksum field in a UDP header. */
    public static final int UDP_CHECKSUM_OFFSET = 6;

    private InternetChecksum() {
    }

    /**
     * Adds bytes {@code [from, from + length)} as 16-bit big-endian words (an odd last byte padded
     * with zero) to {@code sum}. Reads 64 bits at a time and adds their two 32-bit halves: 2^16
     * is 1 in one's complement arithmetic, so a wider word counts as the sum of its 16-bit parts,
     * and the 64-bit sum cannot overflow for any packet (each step adds under 2^33). This loop is
     * the device's hottest code with offloads on, and 8-byte reads halve it against 4-byte ones.
     */
    public static long add(ByteBuffer b, int from, int length, long sum) {
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
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum field value for data summing to {@code sum}: folded and complemented. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /**
     * The pseudo-header sum of the IPv4 or IPv6 packet at {@code ip}: addresses, protocol and the
     * transport length.
     */
    public static long pseudoHeader(ByteBuffer b, int ip, boolean ipv6, int protocol, int transportLength) {
        long sum = ipv6 ? add(b, ip + 8, 32, 0) : add(b, ip + 12, 8, 0);
        return sum + protocol + (transportLength >>> 16) + (transportLength & 0xffff);
    }

    /**
     * Where the transport header of a partial-checksum candidate starts: the packet at
     * {@code [offset, offset + length)} must be IPv4 (not a fragment) or IPv6 without extension
     * headers, carrying TCP or UDP, with its IP length equal to {@code length} and room for the
     * transport header's checksum field.
     *
     * @return the transport header's offset from the packet start, or -1 when the packet is none
     *     of these
     */
    public static int transportStart(ByteBuffer b, int offset, int length) {
        if (length < 20) {
            return -1;
        }
        int first = b.get(offset) & 0xff;
        int start;
        int protocol;
        if ((first & 0xf0) == 0x40) {
            start = (first & 0x0f) * 4;
            boolean fragment = (b.getShort(offset + 6) & 0x3fff) != 0;
            if (start < 20 || fragment || (b.getShort(offset + 2) & 0xffff) != length) {
                return -1;
            }
            protocol = b.get(offset + 9);
        } else if ((first & 0xf0) == 0x60 && length >= 40) {
            start = 40;
            if ((b.getShort(offset + 4) & 0xffff) + 40 != length) {
                return -1;
            }
            protocol = b.get(offset + 6);
        } else {
            return -1;
        }
        int field = checksumOffset(protocol);
        return field >= 0 && start + field + 2 <= length ? start : -1;
    }

    /** The protocol of a packet {@link #transportStart} accepted: TCP or UDP. */
    public static int protocol(ByteBuffer b, int offset) {
        return (b.get(offset) & 0xf0) == 0x40 ? b.get(offset + 9) : b.get(offset + 6);
    }

    /** The checksum field's offset in the transport header of {@code protocol}; -1 unless TCP or UDP. */
    public static int checksumOffset(int protocol) {
        if (protocol == PROTOCOL_TCP) {
            return TCP_CHECKSUM_OFFSET;
        }
        return protocol == PROTOCOL_UDP ? UDP_CHECKSUM_OFFSET : -1;
    }

    /**
     * Whether {@code csumStart}/{@code csumOffset} are exactly where a TCP or UDP packet's checksum
     * sits, as {@link #transportStart} and {@link #checksumOffset} place it: the only partial
     * checksums the tunnel carries as such.
     */
    public static boolean isTransportPartial(ByteBuffer b, int offset, int length, int csumStart, int csumOffset) {
        int start = transportStart(b, offset, length);
        return start >= 0 && start == csumStart && checksumOffset(protocol(b, offset)) == csumOffset;
    }

    /**
     * Completes a partial checksum in place: sums the packet from {@code csumStart} to its end
     * (the field's pseudo-header sum included) and writes the complement, 0 sent as {@code 0xffff}
     * (one's complement's other zero, which UDP requires and TCP accepts), as Linux's
     * {@code skb_checksum_help} does.
     *
     * @return false, with nothing written, when the field does not lie inside the packet
     */
    public static boolean complete(ByteBuffer b, int offset, int length, int csumStart, int csumOffset) {
        int field = csumStart + csumOffset;
        if (csumStart < 0 || csumOffset < 0 || field + 2 > length) {
            return false;
        }
        int value = finish(add(b, offset + csumStart, length - csumStart, 0));
        b.putShort(offset + field, (short) (value == 0 ? 0xffff : value));
        return true;
    }
}
