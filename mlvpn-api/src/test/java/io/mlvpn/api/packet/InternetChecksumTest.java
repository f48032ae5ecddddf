package io.mlvpn.api.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    private static final int TCP = InternetChecksum.PROTOCOL_TCP;
    private static final int UDP = InternetChecksum.PROTOCOL_UDP;

    /** The independent reference: a plain 16-bit loop, complemented. */
    private static int reference(byte[] b, int from, int length, long initial) {
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

    private static long referencePseudo(byte[] p, boolean ipv6, int protocol, int transportLength) {
        long sum = 0;
        int from = ipv6 ? 8 : 12;
        for (int i = 0; i < (ipv6 ? 32 : 8); i += 2) {
            sum += ((p[from + i] & 0xff) << 8) | (p[from + i + 1] & 0xff);
        }
        return sum + protocol + transportLength;
    }

    /** An IPv4 (20-byte header) or IPv6 packet carrying {@code transportLength} bytes of TCP or UDP. */
    private static byte[] packet(boolean ipv6, int protocol, int transportLength, int seed) {
        int ip = ipv6 ? 40 : 20;
        byte[] p = new byte[ip + transportLength];
        new Random(seed).nextBytes(p);
        ByteBuffer b = ByteBuffer.wrap(p);
        if (ipv6) {
            b.put(0, (byte) 0x60);
            b.putShort(4, (short) transportLength);
            b.put(6, (byte) protocol);
        } else {
            b.put(0, (byte) 0x45);
            b.putShort(2, (short) p.length);
            b.putShort(6, (short) 0x4000); // DF, not a fragment
            b.put(9, (byte) protocol);
        }
        if (protocol == UDP) {
            b.putShort(ip + 4, (short) transportLength);
        }
        return p;
    }

    private static int field(int protocol) {
        return protocol == TCP ? 16 : 6;
    }

    @Test
    void matchesAnIndependentWordByWordSumAtEveryLengthAndOffset() {
        Random random = new Random(7);
        byte[] data = new byte[300];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(0, data);
        for (int from = 0; from < 5; from++) {
            for (int length = 0; length < 260; length++) {
                int expected = reference(data, from, length, 0);
                assertEquals(expected, InternetChecksum.finish(InternetChecksum.add(direct, from, length, 0)),
                        from + "+" + length);
            }
        }
    }

    @Test
    void rfc1071Example() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertEquals(0xddf2, InternetChecksum.fold(InternetChecksum.add(b, 0, 8, 0)));
    }

    @Test
    void pseudoHeaderMatchesTheIndependentOne() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            byte[] p = packet(ipv6, TCP, 97, 3);
            long expected = referencePseudo(p, ipv6, TCP, 97);
            long actual = InternetChecksum.pseudoHeader(ByteBuffer.wrap(p), 0, ipv6, TCP, 97);
            assertEquals(InternetChecksum.fold(expected), InternetChecksum.fold(actual));
        }
    }

    @Test
    void completingAPartialChecksumGivesTheFullOne() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (int protocol : new int[] {TCP, UDP}) {
                for (int transportLength = 20; transportLength < 90; transportLength++) {
                    byte[] p = packet(ipv6, protocol, transportLength, transportLength);
                    int ip = ipv6 ? 40 : 20;
                    int at = ip + field(protocol);
                    ByteBuffer b = ByteBuffer.allocateDirect(p.length + 8);
                    p[at] = 0;
                    p[at + 1] = 0;
                    int full = reference(p, ip, transportLength, referencePseudo(p, ipv6, protocol, transportLength));
                    long pseudo = InternetChecksum.pseudoHeader(ByteBuffer.wrap(p), 0, ipv6, protocol, transportLength);
                    b.put(4, p).putShort(4 + at, (short) InternetChecksum.fold(pseudo));

                    assertTrue(InternetChecksum.isTransportPartial(b, 4, p.length, ip, field(protocol)));
                    assertTrue(InternetChecksum.complete(b, 4, p.length, ip, field(protocol)));
                    assertEquals(full == 0 ? 0xffff : full, b.getShort(4 + at) & 0xffff, ipv6 + " " + protocol + " " + transportLength);
                }
            }
        }
    }

    @Test
    void aResultOfZeroIsSentAsAllOnes() {
        // A UDP packet whose data is chosen so that its complete checksum computes to 0.
        byte[] p = packet(false, UDP, 12, 1);
        ByteBuffer b = ByteBuffer.wrap(p);
        b.putShort(26, (short) 0);
        b.putShort(28, (short) 0);
        int sum = reference(p, 20, 12, referencePseudo(p, false, UDP, 12));
        // Adding the complement of the current checksum's complement into the data makes the sum 0xffff.
        b.putShort(28, (short) sum);
        assertEquals(0, reference(p, 20, 12, referencePseudo(p, false, UDP, 12)));
        long pseudo = InternetChecksum.pseudoHeader(b, 0, false, UDP, 12);
        b.putShort(26, (short) InternetChecksum.fold(pseudo));

        assertTrue(InternetChecksum.complete(b, 0, p.length, 20, 6));
        assertEquals(0xffff, b.getShort(26) & 0xffff);
    }

    @Test
    void placesTheTransportHeaderOnlyWhereThePeerWillFindIt() {
        ByteBuffer tcp4 = ByteBuffer.wrap(packet(false, TCP, 40, 1));
        assertEquals(20, InternetChecksum.transportStart(tcp4, 0, 60));
        assertEquals(TCP, InternetChecksum.protocol(tcp4, 0));
        ByteBuffer udp6 = ByteBuffer.wrap(packet(true, UDP, 8, 2));
        assertEquals(40, InternetChecksum.transportStart(udp6, 0, 48));
        assertEquals(UDP, InternetChecksum.protocol(udp6, 0));

        assertEquals(-1, InternetChecksum.transportStart(tcp4, 0, 59), "IP length is not the packet's");
        ByteBuffer icmp = ByteBuffer.wrap(packet(false, 1, 40, 3));
        assertEquals(-1, InternetChecksum.transportStart(icmp, 0, 60), "not TCP or UDP");
        ByteBuffer fragment = ByteBuffer.wrap(packet(false, TCP, 40, 4));
        fragment.putShort(6, (short) 0x2000); // more fragments
        assertEquals(-1, InternetChecksum.transportStart(fragment, 0, 60), "a fragment");
        ByteBuffer shortTcp = ByteBuffer.wrap(packet(false, TCP, 10, 5));
        assertEquals(-1, InternetChecksum.transportStart(shortTcp, 0, 30), "no room for the TCP checksum");
        ByteBuffer options = ByteBuffer.wrap(packet(false, TCP, 40, 6));
        options.put(0, (byte) 0x46);
        assertEquals(24, InternetChecksum.transportStart(options, 0, 60), "IPv4 options move it");
        ByteBuffer extension = ByteBuffer.wrap(packet(true, 0 /* hop-by-hop */, 40, 7));
        assertEquals(-1, InternetChecksum.transportStart(extension, 0, 80), "IPv6 extension header");
        ByteBuffer garbage = ByteBuffer.wrap(new byte[] {0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(-1, InternetChecksum.transportStart(garbage, 0, 21), "neither IPv4 nor IPv6");
        assertEquals(-1, InternetChecksum.transportStart(garbage, 0, 10), "too short");

        assertTrue(InternetChecksum.isTransportPartial(tcp4, 0, 60, 20, 16));
        assertFalse(InternetChecksum.isTransportPartial(tcp4, 0, 60, 20, 6), "UDP's field in a TCP packet");
        assertFalse(InternetChecksum.isTransportPartial(tcp4, 0, 60, 24, 16), "another start");
    }

    @Test
    void refusesToCompleteAFieldOutsideThePacket() {
        ByteBuffer b = ByteBuffer.wrap(packet(false, TCP, 20, 1));
        byte[] before = b.array().clone();
        assertFalse(InternetChecksum.complete(b, 0, 40, 30, 16));
        assertFalse(InternetChecksum.complete(b, 0, 40, -1, 16));
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(b.array()));
    }
}
