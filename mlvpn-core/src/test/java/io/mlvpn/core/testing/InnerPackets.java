package io.mlvpn.core.testing;

import io.mlvpn.api.packet.InternetChecksum;
import java.nio.ByteBuffer;
import java.util.Random;

/** Builds complete IPv4 and IPv6 packets carrying TCP, UDP or ICMP, with valid checksums, for tests. */
public final class InnerPackets {
    /** IP protocol number of ICMP. */
    public static final int ICMP = 1;

    private InnerPackets() {
    }

    /**
     * A packet of {@code length} bytes with random payload from {@code seed}; its TCP or UDP
     * checksum is complete and never 0 (so that completing it again gives the same bytes).
     */
    public static byte[] build(boolean ipv6, int protocol, int length, long seed) {
        int ip = ipv6 ? 40 : 20;
        int transport = protocol == InternetChecksum.PROTOCOL_TCP ? 20 : 8;
        if (length < ip + transport) {
            throw new IllegalArgumentException("too short for the headers: " + length);
        }
        Random random = new Random(seed);
        for (;;) {
            byte[] p = new byte[length];
            random.nextBytes(p);
            ByteBuffer b = ByteBuffer.wrap(p);
            if (ipv6) {
                b.putInt(0, 0x60000000);
                b.putShort(4, (short) (length - 40));
                b.put(6, (byte) protocol);
                b.put(7, (byte) 64);
            } else {
                b.put(0, (byte) 0x45);
                b.put(1, (byte) 0);
                b.putShort(2, (short) length);
                b.putShort(6, (short) 0x4000);
                b.put(8, (byte) 64);
                b.put(9, (byte) protocol);
                b.putShort(10, (short) 0);
                b.putShort(10, (short) InternetChecksum.finish(InternetChecksum.add(b, 0, 20, 0)));
            }
            int field = InternetChecksum.checksumOffset(protocol);
            if (field < 0) {
                return p;
            }
            if (protocol == InternetChecksum.PROTOCOL_UDP) {
                b.putShort(ip + 4, (short) (length - ip));
            } else {
                b.put(ip + 12, (byte) 0x50); // 20-byte TCP header
            }
            b.putShort(ip + field, (short) 0);
            long pseudo = InternetChecksum.pseudoHeader(b, 0, ipv6, protocol, length - ip);
            int checksum = InternetChecksum.finish(InternetChecksum.add(b, ip, length - ip, pseudo));
            if (checksum != 0) {
                b.putShort(ip + field, (short) checksum);
                return p;
            }
        }
    }
}
