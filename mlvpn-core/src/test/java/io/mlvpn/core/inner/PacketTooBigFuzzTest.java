package io.mlvpn.core.inner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target: {@link PacketTooBig#write} with any packet and any MTU (docs/fuzzing.md). The input
 * is four bytes of MTU, then the packet. The answer must fit the largest one the class builds, and
 * when it is built its checksums hold and it goes back from the packet's destination to its source.
 */
class PacketTooBigFuzzTest {
    /** The largest answer PacketTooBig builds: RFC 4443's bound for ICMPv6, above RFC 1812's 576. */
    private static final int ANSWER_ROOM = 1280;
    private final byte[] out = new byte[ANSWER_ROOM];

    @FuzzTest
    void answersAnyPacket(byte[] input) {
        if (input.length < 4) {
            return;
        }
        int mtu = (input[0] & 0xFF) << 24 | (input[1] & 0xFF) << 16 | (input[2] & 0xFF) << 8 | (input[3] & 0xFF);
        byte[] packet = Arrays.copyOfRange(input, 4, input.length);
        Arrays.fill(out, (byte) 0);
        int n = PacketTooBig.write(packet, 0, packet.length, mtu, out, 0);
        assertTrue(n >= 0 && n <= ANSWER_ROOM, "answer length " + n);
        if (n == 0) {
            return;
        }
        int version = (out[0] >> 4) & 0x0F;
        if (version == 4) {
            assertEquals(0, PacketTooBig.checksum(out, 0, 20, 0), "IPv4 header checksum");
            assertEquals(0, PacketTooBig.checksum(out, 20, n - 20, 0), "ICMP checksum");
            assertArrayEquals(Arrays.copyOfRange(packet, 16, 20), Arrays.copyOfRange(out, 12, 16), "source");
            assertArrayEquals(Arrays.copyOfRange(packet, 12, 16), Arrays.copyOfRange(out, 16, 20), "destination");
            assertTrue(n <= 576, "an ICMPv4 error stays within 576 bytes: " + n);
        } else {
            assertEquals(6, version, "answer version");
            assertEquals(n - 40, (out[4] & 0xFF) << 8 | (out[5] & 0xFF), "payload length");
            long pseudo = sum(out, 8, 32) + (n - 40) + 58;
            assertEquals(0, PacketTooBig.checksum(out, 40, n - 40, pseudo), "ICMPv6 checksum");
            assertArrayEquals(Arrays.copyOfRange(packet, 24, 40), Arrays.copyOfRange(out, 8, 24), "source");
            assertArrayEquals(Arrays.copyOfRange(packet, 8, 24), Arrays.copyOfRange(out, 24, 40), "destination");
        }
    }

    private static long sum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += (b[off + i] & 0xFF) << 8 | (b[off + i + 1] & 0xFF);
        }
        return s;
    }
}
