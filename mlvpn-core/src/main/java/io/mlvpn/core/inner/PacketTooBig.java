package io.mlvpn.core.inner;

/**
 * Builds the ICMP "fragmentation needed" (IPv4, RFC 1191) or ICMPv6 "packet too big" (RFC 4443)
 * answer to an inner packet that exceeds the tunnel MTU, so that path-MTU discovery works through
 * the tunnel. The answer is written back into the device as if a router had sent it, from the
 * original destination to the original source. Static and allocation-free.
 */
public final class PacketTooBig {
    /** Largest ICMPv4 error datagram (RFC 1812: no more than 576 bytes). */
    private static final int MAX_V4_ANSWER = 576;
    /** Largest ICMPv6 error packet (RFC 4443: no more than the minimum IPv6 MTU). */
    private static final int MAX_V6_ANSWER = 1280;

    private PacketTooBig() {
    }

    /**
     * The largest answer {@link #write} makes: an ICMPv6 error may fill the minimum IPv6 MTU; an
     * ICMPv4 one stops at 576 bytes. A buffer this large always takes a whole answer.
     */
    public static final int MAX_ANSWER = MAX_V6_ANSWER;

    /**
     * Writes the answer to {@code out} at {@code outOff}, with room for {@link #MAX_ANSWER} bytes
     * there; see {@link #write(byte[], int, int, int, byte[], int, int)}.
     */
    public static int write(byte[] packet, int off, int len, int mtu, byte[] out, int outOff) {
        return write(packet, off, len, mtu, out, outOff, Math.min(MAX_ANSWER, out.length - outOff));
    }

    /**
     * Writes the answer into {@code out[outOff, outOff + room)}, quoting as much of the packet as
     * fits there and in the RFCs' limits. An IPv4 packet without DF is not answered: it could be
     * fragmented, which the tunnel does not do, and RFC 1191 asks a router to answer only DF
     * packets; the caller drops it.
     *
     * @param packet the oversize inner packet, at {@code packet[off, off + len)}; its first
     *     {@link #MAX_ANSWER} bytes are enough, as nothing further is read
     * @param mtu the MTU to announce; values outside what the field holds are clamped to it
     * @param room bytes available at {@code outOff}; any value from 0 up is accepted
     * @return the answer's length (at most {@code room} and {@link #MAX_ANSWER}), or 0 when the
     *     packet must not be answered (not IP, too short, an IPv4 packet without DF, a non-first
     *     fragment, itself an ICMP error, from an unspecified source) or the room cannot hold the
     *     headers and the start of the quoted packet
     * @throws IndexOutOfBoundsException only when a span lies outside its array
     */
    public static int write(byte[] packet, int off, int len, int mtu, byte[] out, int outOff, int room) {
        java.util.Objects.checkFromIndexSize(off, len, packet.length);
        java.util.Objects.checkFromIndexSize(outOff, room, out.length);
        if (len < 1) {
            return 0;
        }
        int version = (packet[off] >> 4) & 0x0F;
        if (version == 4) {
            return writeV4(packet, off, len, Math.max(0, Math.min(mtu, 0xFFFF)), out, outOff,
                    Math.min(room, MAX_V4_ANSWER));
        }
        if (version == 6) {
            return writeV6(packet, off, len, Math.max(0, mtu), out, outOff, Math.min(room, MAX_V6_ANSWER));
        }
        return 0;
    }

    private static int writeV4(byte[] p, int off, int len, int mtu, byte[] out, int o, int room) {
        int ihl = (p[off] & 0x0F) * 4;
        if (ihl < 20 || len < ihl) {
            return 0;
        }
        if ((p[off + 6] & 0x40) == 0) {
            return 0;
        }
        // RFC 792: the quote holds at least the IP header and 8 bytes of what follows.
        if (room < 28 + Math.min(len, ihl + 8)) {
            return 0;
        }
        if (isZero(p, off + 12, 4)) {
            return 0;
        }
        int fragmentOffset = ((p[off + 6] & 0x1F) << 8) | (p[off + 7] & 0xFF);
        if (fragmentOffset != 0) {
            return 0;
        }
        int protocol = p[off + 9] & 0xFF;
        if (protocol == 1 && len >= ihl + 1 && isIcmpV4Error(p[off + ihl] & 0xFF)) {
            return 0;
        }
        int quoted = Math.min(len, room - 28);
        int total = 28 + quoted;
        out[o] = 0x45;
        out[o + 1] = 0;
        put16(out, o + 2, total);
        put16(out, o + 4, 0);
        put16(out, o + 6, 0);
        out[o + 8] = 64;
        out[o + 9] = 1;
        put16(out, o + 10, 0);
        System.arraycopy(p, off + 16, out, o + 12, 4);
        System.arraycopy(p, off + 12, out, o + 16, 4);
        put16(out, o + 10, checksum(out, o, 20, 0));
        int icmp = o + 20;
        out[icmp] = 3;
        out[icmp + 1] = 4;
        put16(out, icmp + 2, 0);
        put16(out, icmp + 4, 0);
        put16(out, icmp + 6, Math.min(mtu, 0xFFFF));
        System.arraycopy(p, off, out, icmp + 8, quoted);
        put16(out, icmp + 2, checksum(out, icmp, 8 + quoted, 0));
        return total;
    }

    private static int writeV6(byte[] p, int off, int len, int mtu, byte[] out, int o, int room) {
        if (len < 40) {
            return 0;
        }
        // The quote holds at least the invoking packet's IPv6 header and 8 bytes beyond it.
        if (room < 48 + Math.min(len, 48)) {
            return 0;
        }
        if (isZero(p, off + 8, 16)) {
            return 0;
        }
        int next = p[off + 6] & 0xFF;
        if (next == 58 && len >= 41 && (p[off + 40] & 0xFF) < 128) {
            return 0;
        }
        int quoted = Math.min(len, room - 48);
        int icmpLength = 8 + quoted;
        out[o] = 0x60;
        out[o + 1] = 0;
        out[o + 2] = 0;
        out[o + 3] = 0;
        put16(out, o + 4, icmpLength);
        out[o + 6] = 58;
        out[o + 7] = 64;
        System.arraycopy(p, off + 24, out, o + 8, 16);
        System.arraycopy(p, off + 8, out, o + 24, 16);
        int icmp = o + 40;
        out[icmp] = 2;
        out[icmp + 1] = 0;
        put16(out, icmp + 2, 0);
        put16(out, icmp + 4, mtu >>> 16);
        put16(out, icmp + 6, mtu);
        System.arraycopy(p, off, out, icmp + 8, quoted);
        long pseudo = sum(out, o + 8, 32) + icmpLength + 58;
        put16(out, icmp + 2, checksum(out, icmp, icmpLength, pseudo));
        return 40 + icmpLength;
    }

    private static boolean isIcmpV4Error(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    private static boolean isZero(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Internet checksum (RFC 1071) of {@code b[off, off+len)} plus a partial sum. */
    static int checksum(byte[] b, int off, int len, long partial) {
        long s = partial + sum(b, off, len);
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        int c = (int) (~s & 0xFFFF);
        return c;
    }

    private static long sum(byte[] b, int off, int len) {
        long s = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if (i < len) {
            s += (b[off + i] & 0xFF) << 8;
        }
        return s;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
