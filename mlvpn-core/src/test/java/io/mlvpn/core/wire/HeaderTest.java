package io.mlvpn.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HeaderTest {

    @Test
    void writesTheDocumentedLayout() {
        byte[] b = new byte[40];
        Header.write(b, 4, PacketType.DATA, 3, 0xBEEF, 0x1_2345_6789L, 0x0102, 0xFFFF, 0xA0B0C0D0L);
        byte[] header = java.util.Arrays.copyOfRange(b, 4, 20);
        assertArrayEquals(HexFormat.of().parseHex("2403beef234567890102ffffa0b0c0d0"), header);
    }

    @Test
    void roundTripsEveryField() {
        byte[] b = new byte[48];
        Header.write(b, 8, PacketType.KEEPALIVE, 249, 0x0001, 0xFFFF_FFFFL, 0xFFFE, 0x1234, 1);
        assertEquals(Header.VERSION, Header.version(b, 8));
        assertEquals(PacketType.KEEPALIVE, Header.type(b, 8));
        assertEquals(249, Header.linkId(b, 8));
        assertEquals(1, Header.sessionId(b, 8));
        assertEquals(0xFFFF_FFFFL, Header.sequenceLow(b, 8));
        assertEquals(0xFFFE, Header.stamp(b, 8));
        assertEquals(0x1234, Header.echo(b, 8));
        assertEquals(1, Header.word(b, 8));
        assertEquals(Header.OK, Header.check(b, 8, Header.OVERHEAD));
    }

    @Test
    void refusesShortDatagrams() {
        byte[] b = new byte[64];
        Header.write(b, 0, PacketType.DATA, 0, 7, 0, 0, 0, 0);
        assertEquals(Header.TOO_SHORT, Header.check(b, 0, 0));
        assertEquals(Header.TOO_SHORT, Header.check(b, 0, Header.LENGTH));
        assertEquals(Header.TOO_SHORT, Header.check(b, 0, Header.OVERHEAD - 1));
        assertEquals(Header.OK, Header.check(b, 0, Header.OVERHEAD));
    }

    @Test
    void refusesOtherVersions() {
        byte[] b = new byte[64];
        Header.write(b, 0, PacketType.DATA, 0, 7, 0, 0, 0, 0);
        for (int v = 0; v < 16; v++) {
            b[0] = (byte) (v << 4 | PacketType.DATA);
            assertEquals(v == 2 ? Header.OK : Header.BAD_VERSION, Header.check(b, 0, 64), "version " + v);
        }
    }

    @Test
    void refusesUnknownTypes() {
        byte[] b = new byte[64];
        Header.write(b, 0, PacketType.DATA, 0, 7, 0, 0, 0, 0);
        for (int t = 0; t < 16; t++) {
            b[0] = (byte) (Header.VERSION << 4 | t);
            assertEquals(t >= 1 && t <= 8 ? Header.OK : Header.BAD_TYPE, Header.check(b, 0, 64), "type " + t);
        }
    }

    @Test
    void refusesSessionZero() {
        byte[] b = new byte[64];
        Header.write(b, 0, PacketType.DATA, 0, 0, 0, 0, 0, 0);
        assertEquals(Header.BAD_SESSION, Header.check(b, 0, 64));
    }

    @Test
    void longsRoundTrip() {
        byte[] b = new byte[8];
        Header.putLong(b, 0, 0x8877_6655_4433_2211L);
        assertEquals(0x8877_6655_4433_2211L, Header.getLong(b, 0));
    }

    @Test
    void receiveReportRoundTrips() {
        byte[] b = new byte[20];
        ReceiveReport.write(b, 4, 0x1_0000_0005L, 0x2_0000_0007L, 0x1122_3344_5566_7788L);
        assertEquals(5, ReceiveReport.highestSequenceLow(b, 4));
        assertEquals(7, ReceiveReport.packetsReceivedLow(b, 4));
        assertEquals(0x1122_3344_5566_7788L, ReceiveReport.bytesReceived(b, 4));
    }
}
