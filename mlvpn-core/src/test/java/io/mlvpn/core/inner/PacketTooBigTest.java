package io.mlvpn.core.inner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketTooBigTest {

    private static byte[] ipv4(int length, int protocol) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = (byte) protocol;
        byte[] src = {10, 8, 0, 2};
        byte[] dst = {(byte) 192, 0, 2, 7};
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        p[10] = 0;
        p[11] = 0;
        int c = PacketTooBig.checksum(p, 0, 20, 0);
        p[10] = (byte) (c >>> 8);
        p[11] = (byte) c;
        for (int i = 20; i < length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static byte[] ipv6(int length, int next) {
        byte[] p = new byte[length];
        p[0] = 0x60;
        p[4] = (byte) ((length - 40) >>> 8);
        p[5] = (byte) (length - 40);
        p[6] = (byte) next;
        p[7] = 64;
        byte[] src = HexFormat.of().parseHex("fd000000000000000000000000000002");
        byte[] dst = HexFormat.of().parseHex("20010db8000000000000000000000007");
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        return p;
    }

    @Test
    void ipv4AnswerIsFragmentationNeededFromTheDestination() {
        byte[] p = ipv4(1500, 6);
        byte[] out = new byte[2000];
        int n = PacketTooBig.write(p, 0, p.length, 1440, out, 10);
        assertEquals(576, n);
        byte[] a = Arrays.copyOfRange(out, 10, 10 + n);
        assertEquals(0x45, a[0]);
        assertEquals(576, ((a[2] & 0xFF) << 8) | (a[3] & 0xFF));
        assertEquals(1, a[9]);
        assertArrayEquals(Arrays.copyOfRange(p, 16, 20), Arrays.copyOfRange(a, 12, 16));
        assertArrayEquals(Arrays.copyOfRange(p, 12, 16), Arrays.copyOfRange(a, 16, 20));
        assertEquals(0, PacketTooBig.checksum(a, 0, 20, 0), "IP header checksum");
        assertEquals(3, a[20]);
        assertEquals(4, a[21]);
        assertEquals(1440, ((a[26] & 0xFF) << 8) | (a[27] & 0xFF));
        assertEquals(0, PacketTooBig.checksum(a, 20, n - 20, 0), "ICMP checksum");
        assertArrayEquals(Arrays.copyOfRange(p, 0, 548), Arrays.copyOfRange(a, 28, 576));
    }

    @Test
    void ipv6AnswerIsPacketTooBigWithAValidChecksum() {
        byte[] p = ipv6(1500, 17);
        byte[] out = new byte[2000];
        int n = PacketTooBig.write(p, 0, p.length, 1420, out, 0);
        assertEquals(1280, n);
        assertEquals(0x60, out[0] & 0xF0);
        assertEquals(58, out[6]);
        assertArrayEquals(Arrays.copyOfRange(p, 24, 40), Arrays.copyOfRange(out, 8, 24));
        assertArrayEquals(Arrays.copyOfRange(p, 8, 24), Arrays.copyOfRange(out, 24, 40));
        assertEquals(2, out[40]);
        assertEquals(1420, ((out[44] & 0xFF) << 24) | ((out[45] & 0xFF) << 16) | ((out[46] & 0xFF) << 8)
                | (out[47] & 0xFF));
        int icmpLength = n - 40;
        // Checksum over pseudo-header (src, dst, length, next header) plus the ICMPv6 message is 0.
        byte[] pseudo = new byte[40 + icmpLength];
        System.arraycopy(out, 8, pseudo, 0, 32);
        pseudo[34] = (byte) (icmpLength >>> 8);
        pseudo[35] = (byte) icmpLength;
        pseudo[39] = 58;
        System.arraycopy(out, 40, pseudo, 40, icmpLength);
        assertEquals(0, PacketTooBig.checksum(pseudo, 0, pseudo.length, 0));
    }

    @Test
    void icmpErrorsAreNeverAnswered() {
        byte[] p = ipv4(1500, 1);
        p[20] = 3;
        assertEquals(0, PacketTooBig.write(p, 0, p.length, 1440, new byte[2000], 0));
        byte[] q = ipv6(1500, 58);
        q[40] = 1;
        assertEquals(0, PacketTooBig.write(q, 0, q.length, 1420, new byte[2000], 0));
    }

    @Test
    void echoRequestsAreAnswered() {
        byte[] p = ipv4(1500, 1);
        p[20] = 8;
        assertEquals(576, PacketTooBig.write(p, 0, p.length, 1440, new byte[2000], 0));
        byte[] q = ipv6(1500, 58);
        q[40] = (byte) 128;
        assertEquals(1280, PacketTooBig.write(q, 0, q.length, 1420, new byte[2000], 0));
    }

    @Test
    void malformedOrNonIpPacketsAreNotAnswered() {
        byte[] out = new byte[2000];
        assertEquals(0, PacketTooBig.write(new byte[0], 0, 0, 1440, out, 0));
        assertEquals(0, PacketTooBig.write(new byte[] {0x45, 0, 0}, 0, 3, 1440, out, 0));
        assertEquals(0, PacketTooBig.write(new byte[] {0x60, 0, 0}, 0, 3, 1440, out, 0));
        byte[] arp = new byte[100];
        arp[0] = 0x12;
        assertEquals(0, PacketTooBig.write(arp, 0, arp.length, 1440, out, 0));
        byte[] badIhl = ipv4(1500, 6);
        badIhl[0] = 0x44;
        assertEquals(0, PacketTooBig.write(badIhl, 0, badIhl.length, 1440, out, 0));
    }

    @Test
    void nonFirstFragmentsAndUnspecifiedSourcesAreNotAnswered() {
        byte[] frag = ipv4(1500, 6);
        frag[7] = 10;
        assertEquals(0, PacketTooBig.write(frag, 0, frag.length, 1440, new byte[2000], 0));
        byte[] zero = ipv4(1500, 6);
        Arrays.fill(zero, 12, 16, (byte) 0);
        assertEquals(0, PacketTooBig.write(zero, 0, zero.length, 1440, new byte[2000], 0));
    }

    @Test
    void shortPacketsAreQuotedWhole() {
        byte[] p = ipv4(100, 17);
        byte[] out = new byte[2000];
        assertEquals(128, PacketTooBig.write(p, 0, p.length, 90, out, 0));
    }

    @Test
    void ipv4WithoutDontFragmentIsNotAnswered() {
        byte[] p = ipv4(1500, 6);
        p[6] = 0;
        assertEquals(0, PacketTooBig.write(p, 0, p.length, 1440, new byte[2000], 0));
    }

    @Test
    void anAnswerQuotesOnlyWhatFitsTheRoomAndStaysValid() {
        byte[] p = ipv6(1500, 17);
        byte[] out = new byte[700];
        int n = PacketTooBig.write(p, 0, p.length, 1420, out, 50, 600);
        assertEquals(600, n);
        assertEquals(0, v6Checksum(out, 50, n));
        assertEquals(0, PacketTooBig.write(p, 0, p.length, 1420, out, 0, 95),
                "no room for the headers and the quoted IPv6 header");
        byte[] q = ipv4(1500, 6);
        assertEquals(0, PacketTooBig.write(q, 0, q.length, 1440, out, 0, 55));
        assertEquals(56, PacketTooBig.write(q, 0, q.length, 1440, out, 0, 56));
    }

    /**
     * Arbitrary packets (random bytes behind an IPv4 or IPv6 first nibble, any length), MTUs and
     * rooms: write never throws, never writes past the room, and every answer it makes is valid.
     */
    @Test
    void neverThrowsAndEveryAnswerIsValidForArbitraryInput() {
        Random r = new Random(13);
        int[] mtus = {Integer.MIN_VALUE, -1, 0, 68, 1279, 1280, 1440, 65535, 65536, Integer.MAX_VALUE};
        int answered = 0;
        for (int i = 0; i < 50_000; i++) {
            int len = r.nextInt(4) == 0 ? r.nextInt(64) : r.nextInt(2000);
            byte[] p = new byte[len + r.nextInt(8)];
            r.nextBytes(p);
            int off = p.length - len;
            if (len > 0) {
                p[off] = (byte) ((r.nextBoolean() ? 0x40 : 0x60) | (p[off] & 0x0F));
            }
            int mtu = r.nextBoolean() ? mtus[r.nextInt(mtus.length)] : r.nextInt();
            byte[] out = new byte[r.nextInt(1400)];
            int outOff = out.length == 0 ? 0 : r.nextInt(out.length);
            int room = out.length - outOff == 0 ? 0 : r.nextInt(out.length - outOff + 1);
            byte[] guard = out.clone();
            int n = PacketTooBig.write(p, off, len, mtu, out, outOff, room);
            assertTrue(n >= 0 && n <= room && n <= PacketTooBig.MAX_ANSWER, "length " + n + " in room " + room);
            assertArrayEquals(Arrays.copyOfRange(guard, 0, outOff), Arrays.copyOfRange(out, 0, outOff));
            assertArrayEquals(Arrays.copyOfRange(guard, outOff + room, out.length),
                    Arrays.copyOfRange(out, outOff + room, out.length), "nothing written past the room");
            if (n > 0) {
                answered++;
                if ((out[outOff] & 0xF0) == 0x60) {
                    assertEquals(0, v6Checksum(out, outOff, n));
                } else {
                    assertEquals(0, PacketTooBig.checksum(out, outOff, 20, 0));
                    assertEquals(0, PacketTooBig.checksum(out, outOff + 20, n - 20, 0));
                }
            }
        }
        assertTrue(answered > 1_000, "the input reached the answering code: " + answered);
    }

    /** The ICMPv6 checksum over the pseudo-header and message at {@code out[o, o+n)}: 0 when valid. */
    private static int v6Checksum(byte[] out, int o, int n) {
        int icmpLength = n - 40;
        byte[] pseudo = new byte[40 + icmpLength];
        System.arraycopy(out, o + 8, pseudo, 0, 32);
        pseudo[34] = (byte) (icmpLength >>> 8);
        pseudo[35] = (byte) icmpLength;
        pseudo[39] = 58;
        System.arraycopy(out, o + 40, pseudo, 40, icmpLength);
        return PacketTooBig.checksum(pseudo, 0, pseudo.length, 0);
    }
}
