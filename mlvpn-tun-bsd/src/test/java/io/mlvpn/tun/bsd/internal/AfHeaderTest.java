package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

class AfHeaderTest {

    /** The header bytes as the kernel lays them out, through the same native-order store PacketIo uses. */
    private static byte[] wire(int family) {
        Memory m = new Memory(4);
        m.setInt(0, AfHeader.toNativeOrder(family));
        return m.getByteArray(0, 4);
    }

    private static int parse(byte[] header) {
        Memory m = new Memory(4);
        m.write(0, header, 0, 4);
        return AfHeader.fromNativeOrder(m.getInt(0));
    }

    @Test
    void ipv4IsAfInetInNetworkOrderEverywhere() {
        for (OsFamily os : new OsFamily[] {OsFamily.FREEBSD, OsFamily.OPENBSD, OsFamily.MACOS}) {
            AfHeader h = AfHeader.forOs(os);
            int family = h.familyForPacket((byte) 0x45);
            assertEquals(2, family, os.name());
            assertArrayEquals(new byte[] {0, 0, 0, 2}, wire(family), os.name());
            assertEquals(4, h.ipVersionForFamily(parse(new byte[] {0, 0, 0, 2})), os.name());
        }
    }

    @Test
    void ipv6UsesEachSystemsAfInet6() {
        // sys/socket.h: FreeBSD 28, OpenBSD 24, macOS 30
        assertEquals(28, AfHeader.forOs(OsFamily.FREEBSD).familyForPacket((byte) 0x60));
        assertEquals(24, AfHeader.forOs(OsFamily.OPENBSD).familyForPacket((byte) 0x60));
        assertEquals(30, AfHeader.forOs(OsFamily.MACOS).familyForPacket((byte) 0x6f));
        assertArrayEquals(new byte[] {0, 0, 0, 28}, wire(28));
        assertArrayEquals(new byte[] {0, 0, 0, 30}, wire(30));
    }

    @Test
    void decodesIpv6HeadersPerSystem() {
        assertEquals(6, AfHeader.forOs(OsFamily.FREEBSD).ipVersionForFamily(parse(new byte[] {0, 0, 0, 28})));
        assertEquals(6, AfHeader.forOs(OsFamily.OPENBSD).ipVersionForFamily(parse(new byte[] {0, 0, 0, 24})));
        assertEquals(6, AfHeader.forOs(OsFamily.MACOS).ipVersionForFamily(parse(new byte[] {0, 0, 0, 30})));
        // Another system's AF_INET6 is not IPv6 here.
        assertEquals(AfHeader.UNKNOWN, AfHeader.forOs(OsFamily.MACOS).ipVersionForFamily(28));
    }

    @Test
    void hostOrderHeadersAreNotMistakenForNetworkOrder() {
        // {2,0,0,0} is AF_INET in little-endian host order: not what these devices send.
        assertEquals(AfHeader.UNKNOWN, AfHeader.forOs(OsFamily.FREEBSD).ipVersionForFamily(parse(new byte[] {2, 0, 0, 0})));
    }

    @Test
    void nonIpVersionsHaveNoFamily() {
        AfHeader h = AfHeader.forOs(OsFamily.FREEBSD);
        assertEquals(AfHeader.UNKNOWN, h.familyForPacket((byte) 0x00));
        assertEquals(AfHeader.UNKNOWN, h.familyForPacket((byte) 0x50));
        assertEquals(AfHeader.UNKNOWN, h.familyForPacket((byte) 0xff));
        assertEquals(AfHeader.UNKNOWN, h.familyForIpVersion(7));
    }

    @Test
    void roundTripsThroughNativeOrder() {
        for (int family : new int[] {2, 24, 28, 30, 0x01020304}) {
            assertEquals(family, AfHeader.fromNativeOrder(AfHeader.toNativeOrder(family)));
        }
    }

    @Test
    void refusesSystemsWithoutTheHeader() {
        assertThrows(IllegalArgumentException.class, () -> AfHeader.forOs(OsFamily.OTHER));
    }
}
