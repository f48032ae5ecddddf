package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InetChecksumTest {
    @Test
    void matchesAnIndependentWordByWordSumAtEveryLengthAndOffset() {
        Random random = new Random(7);
        byte[] data = new byte[300];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(0, data);
        for (int from = 0; from < 5; from++) {
            for (int length = 0; length < 260; length++) {
                int expected = TcpPackets.checksum(data, from, length, 0);
                assertEquals(expected, InetChecksum.finish(InetChecksum.add(direct, from, length, 0)), from + "+" + length);
            }
        }
    }

    @Test
    void rfc1071Example() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertEquals(0xddf2, InetChecksum.fold(InetChecksum.add(b, 0, 8, 0)));
    }

    @Test
    void pseudoHeaderMatchesTheIndependentOne() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            byte[] packet = TcpPackets.tcp(ipv6, 1, TcpPackets.ACK, new byte[0], TcpPackets.payload(77, 3));
            int tcpLength = packet.length - (ipv6 ? 40 : 20);
            long expected = TcpPackets.pseudo(packet, ipv6, tcpLength);
            long actual = InetChecksum.pseudoHeader(ByteBuffer.wrap(packet), 0, ipv6, 6, tcpLength);
            assertEquals(InetChecksum.fold(expected), InetChecksum.fold(actual));
        }
    }
}
