package io.mlvpn.tun.linux;

import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Crafts IPv4/IPv6 TCP packets for the offload tests and checks them with a checksum written
 * independently of {@link io.mlvpn.api.packet.InternetChecksum}: a plain 16-bit loop over a byte array.
 */
final class TcpPackets {
    static final byte[] SRC4 = {10, 1, 2, 3};
    static final byte[] DST4 = {10, 4, 5, 6};
    static final byte[] SRC6 = bytes16(0xfd);
    static final byte[] DST6 = bytes16(0xfe);
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int FIN = 0x01;
    static final int CWR = 0x80;
    static final int SYN = 0x02;

    private TcpPackets() {
    }

    private static byte[] bytes16(int first) {
        byte[] b = new byte[16];
        b[0] = (byte) first;
        b[15] = 1;
        return b;
    }

    /** A TCP packet; {@code options} bytes (a multiple of 4) follow the 20-byte TCP header. */
    static byte[] tcp(boolean ipv6, int seq, int flags, byte[] options, byte[] payload) {
        int ip = ipv6 ? 40 : 20;
        int tcpLength = 20 + options.length + payload.length;
        ByteBuffer b = ByteBuffer.allocate(ip + tcpLength);
        if (ipv6) {
            b.putInt(0, 0x60012345); // traffic class 0, flow label 0x12345
            b.putShort(4, (short) tcpLength);
            b.put(6, (byte) 6);
            b.put(7, (byte) 64);
            b.put(8, SRC6).put(24, DST6);
        } else {
            b.put(0, (byte) 0x45);
            b.putShort(2, (short) (ip + tcpLength));
            b.putShort(4, (short) 0x1000);
            b.putShort(6, (short) 0x4000); // DF
            b.put(8, (byte) 64);
            b.put(9, (byte) 6);
            b.put(12, SRC4).put(16, DST4);
            b.putShort(10, (short) checksum(b.array(), 0, 20, 0));
        }
        b.putShort(ip, (short) 40000);
        b.putShort(ip + 2, (short) 5201);
        b.putInt(ip + 4, seq);
        b.putInt(ip + 8, 0x0a0b0c0d);
        b.put(ip + 12, (byte) (((20 + options.length) / 4) << 4));
        b.put(ip + 13, (byte) flags);
        b.putShort(ip + 14, (short) 501);
        b.put(ip + 20, options);
        b.put(ip + 20 + options.length, payload);
        b.putShort(ip + 16, (short) checksum(b.array(), ip, tcpLength, pseudo(b.array(), ipv6, tcpLength)));
        return b.array();
    }

    /** Destination and source MAC addresses of the crafted Ethernet frames. */
    static final byte[] MAC_DST = {0x02, 0, 0, 0, 0, 0x0b};
    static final byte[] MAC_SRC = {0x02, 0, 0, 0, 0, 0x0a};
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_VLAN = 0x8100;

    /** An Ethernet II frame around {@code payload}: {@link #MAC_DST}, {@link #MAC_SRC}, the ethertype. */
    static byte[] ethernet(int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(MAC_DST).put(MAC_SRC).putShort((short) etherType).put(payload);
        return b.array();
    }

    /** The frame of {@link #ethernet} carrying the IPv4 or IPv6 packet, by its version. */
    static byte[] ethernetIp(byte[] packet) {
        return ethernet((packet[0] & 0xf0) == 0x60 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4, packet);
    }

    /** An 802.1Q-tagged frame: the tag (VLAN {@code vlanId}), then the inner ethertype and payload. */
    static byte[] vlanEthernet(int vlanId, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(18 + payload.length);
        b.put(MAC_DST).put(MAC_SRC).putShort((short) ETHERTYPE_VLAN).putShort((short) vlanId)
                .putShort((short) etherType).put(payload);
        return b.array();
    }

    /** The bytes of {@code frame} after its {@code linkHeader}-byte header. */
    static byte[] ip(byte[] frame, int linkHeader) {
        return Arrays.copyOfRange(frame, linkHeader, frame.length);
    }

    static byte[] payload(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 31 + seed);
        }
        return p;
    }

    /** The independent checksum: complement of the folded sum of 16-bit words plus {@code initial}. */
    static int checksum(byte[] b, int from, int length, long initial) {
        long sum = initial;
        for (int i = 0; i < length; i += 2) {
            int high = b[from + i] & 0xff;
            int low = i + 1 < length ? b[from + i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        while (sum > 0xffff) {
            sum = (sum >> 16) + (sum & 0xffff);
        }
        return (int) (~sum & 0xffff);
    }

    static long pseudo(byte[] packet, boolean ipv6, int tcpLength) {
        long sum = 0;
        int from = ipv6 ? 8 : 12;
        int length = ipv6 ? 32 : 8;
        for (int i = 0; i < length; i += 2) {
            sum += ((packet[from + i] & 0xff) << 8) | (packet[from + i + 1] & 0xff);
        }
        return sum + 6 + tcpLength;
    }

    /** Whether the IPv4 header checksum (if IPv4) and the TCP checksum of a whole packet verify. */
    static boolean checksumsValid(byte[] packet) {
        boolean ipv6 = (packet[0] & 0xf0) == 0x60;
        int ip = ipv6 ? 40 : (packet[0] & 0x0f) * 4;
        if (!ipv6 && checksum(packet, 0, ip, 0) != 0) {
            return false;
        }
        int tcpLength = packet.length - ip;
        return checksum(packet, ip, tcpLength, pseudo(packet, ipv6, tcpLength)) == 0;
    }

    static PacketBuffer buffer(byte[] packet, int offset) {
        PacketBuffer b = new PacketBuffer(offset + Math.max(packet.length, 64) + 16);
        b.data().put(offset, packet);
        b.span(offset, packet.length);
        return b;
    }

    /**
     * The packet's bytes with a partial checksum (flagged in its offload info) completed, as the
     * kernel completes it: what a host that receives the packet sees.
     */
    static byte[] completed(PacketBuffer b) {
        byte[] bytes = contents(b);
        if ((b.offload().flags() & OffloadInfo.FLAG_NEEDS_CSUM) != 0
                && !InternetChecksum.complete(ByteBuffer.wrap(bytes), 0, bytes.length, b.offload().csumStart(),
                        b.offload().csumOffset())) {
            throw new AssertionError("checksum field outside the packet: " + b.offload().csumStart() + "+"
                    + b.offload().csumOffset());
        }
        return bytes;
    }

    /** A batch of the packets, each in its own buffer at offset 16. */
    static PacketBatch batchOf(java.util.List<byte[]> packets) {
        PacketBatch batch = new PacketBatch(packets.size());
        for (byte[] p : packets) {
            batch.add(buffer(p, 16));
        }
        return batch;
    }

    /**
     * A batch of {@code buffers} empty buffers spanning from {@code offset}, each with offload info
     * set to junk, so that a reader's test sees it set (or cleared) by the code under test.
     */
    static PacketBatch emptyBatch(int buffers, int capacity, int offset) {
        PacketBatch batch = new PacketBatch(buffers);
        for (int i = 0; i < buffers; i++) {
            PacketBuffer b = new PacketBuffer(capacity);
            b.span(offset, 0);
            b.offload().set(1, 1, 1, 1, 1, 1);
            batch.add(b);
        }
        return batch;
    }

    static byte[] contents(PacketBuffer b) {
        byte[] out = new byte[b.length()];
        b.data().get(b.offset(), out);
        return out;
    }

    static byte[] contents(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        b.get(from, out);
        return out;
    }
}
