package io.mlvpn.tun.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SockaddrCodecTest {
    private final Memory memory = new Memory(SockaddrCodec.MAX_SIZE);

    @BeforeEach
    void needsJna() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
    }

    @Test
    void ipv4RoundTripWithBigEndianPort() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0x1234);
        assertEquals(16, SockaddrCodec.encode(a, SocketConstants.AF_INET, memory));
        assertEquals(SocketConstants.AF_INET, memory.getShort(0));
        assertEquals(0x12, memory.getByte(2));
        assertEquals(0x34, memory.getByte(3));
        assertEquals(10, memory.getByte(4));
        assertEquals(a, SockaddrCodec.decode(memory));
    }

    @Test
    void ipv6RoundTrip() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("fd00::7"), 53);
        assertEquals(28, SockaddrCodec.encode(a, SocketConstants.AF_INET6, memory));
        assertEquals(SocketConstants.AF_INET6, memory.getShort(0));
        assertEquals(7, memory.getByte(8 + 15));
        InetSocketAddress back = SockaddrCodec.decode(memory);
        assertInstanceOf(Inet6Address.class, back.getAddress());
        assertEquals(a, back);
    }

    @Test
    void ipv4OnADualStackSocketIsMappedAndReadBackAsIpv4() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4000);
        assertEquals(28, SockaddrCodec.encode(a, SocketConstants.AF_INET6, memory));
        assertEquals((byte) 0xff, memory.getByte(8 + 10));
        assertEquals(127, memory.getByte(8 + 12));
        InetSocketAddress back = SockaddrCodec.decode(memory);
        assertInstanceOf(Inet4Address.class, back.getAddress());
        assertEquals(a, back);
    }

    @Test
    void addressesTheFamilyCannotCarryAreRefused() throws Exception {
        assertEquals(-1, SockaddrCodec.encode(new InetSocketAddress(InetAddress.getByName("::1"), 1),
                SocketConstants.AF_INET, memory));
        assertEquals(-1, SockaddrCodec.encode(InetSocketAddress.createUnresolved("example.invalid", 1),
                SocketConstants.AF_INET, memory));
    }
}
