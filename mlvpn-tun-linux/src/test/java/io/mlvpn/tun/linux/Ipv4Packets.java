package io.mlvpn.tun.linux;

import java.nio.ByteBuffer;

/** Builds and reads the few IPv4 packets the device tests exchange with the kernel. */
final class Ipv4Packets {
    static final int PROTOCOL_ICMP = 1;
    static final int PROTOCOL_UDP = 17;

    private Ipv4Packets() {
    }

    /** An ICMP echo request, written at {@code offset}; returns its length. */
    static int writeEchoRequest(ByteBuffer b, int offset, byte[] source, byte[] destination, int id, int sequence,
            byte[] payload) {
        int icmpLength = 8 + payload.length;
        int total = 20 + icmpLength;
        b.put(offset, (byte) 0x45);
        b.put(offset + 1, (byte) 0);
        b.putShort(offset + 2, (short) total);
        b.putShort(offset + 4, (short) 0x4242);
        b.putShort(offset + 6, (short) 0x4000); // don't fragment
        b.put(offset + 8, (byte) 64);
        b.put(offset + 9, (byte) PROTOCOL_ICMP);
        b.putShort(offset + 10, (short) 0);
        for (int i = 0; i < 4; i++) {
            b.put(offset + 12 + i, source[i]);
            b.put(offset + 16 + i, destination[i]);
        }
        b.putShort(offset + 10, checksum(b, offset, 20));
        int icmp = offset + 20;
        b.put(icmp, (byte) 8);
        b.put(icmp + 1, (byte) 0);
        b.putShort(icmp + 2, (short) 0);
        b.putShort(icmp + 4, (short) id);
        b.putShort(icmp + 6, (short) sequence);
        for (int i = 0; i < payload.length; i++) {
            b.put(icmp + 8 + i, payload[i]);
        }
        b.putShort(icmp + 2, checksum(b, icmp, icmpLength));
        return total;
    }

    /** The Internet checksum of {@code length} bytes from {@code offset}. */
    static short checksum(ByteBuffer b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((b.get(offset + i) & 0xff) << 8) | (b.get(offset + i + 1) & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (b.get(offset + length - 1) & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (short) ~sum;
    }

    static boolean isIpv4(ByteBuffer b, int offset) {
        return (b.get(offset) & 0xf0) == 0x40;
    }

    static int protocol(ByteBuffer b, int offset) {
        return b.get(offset + 9) & 0xff;
    }

    static byte[] source(ByteBuffer b, int offset) {
        return bytes(b, offset + 12, 4);
    }

    static byte[] destination(ByteBuffer b, int offset) {
        return bytes(b, offset + 16, 4);
    }

    static int headerLength(ByteBuffer b, int offset) {
        return (b.get(offset) & 0x0f) * 4;
    }

    static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = b.get(offset + i);
        }
        return out;
    }
}
