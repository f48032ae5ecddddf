package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.device.DeviceType;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IfconfigCommandTest {

    @Test
    void ipv4TunWithPeer() {
        assertEquals(List.of("ifconfig", "mlvpn0", "inet", "10.8.0.1", "10.8.0.2", "netmask", "255.255.255.0"),
                IfconfigCommand.build("mlvpn0", DeviceType.TUN, "10.8.0.1/24", "10.8.0.2"));
    }

    @Test
    void ipv4TunWithoutPeerUsesItsOwnAddressAsPeer() {
        assertEquals(List.of("ifconfig", "utun4", "inet", "10.8.0.1", "10.8.0.1", "netmask", "255.255.255.252"),
                IfconfigCommand.build("utun4", DeviceType.TUN, "10.8.0.1/30", null));
    }

    @Test
    void ipv4TapHasNoPeer() {
        assertEquals(List.of("ifconfig", "tap0", "inet", "192.168.9.1", "netmask", "255.255.0.0"),
                IfconfigCommand.build("tap0", DeviceType.TAP, "192.168.9.1/16", null));
    }

    @Test
    void hostAddressWithoutPrefix() {
        assertEquals(List.of("ifconfig", "tun0", "inet", "10.1.1.1", "10.1.1.1", "netmask", "255.255.255.255"),
                IfconfigCommand.build("tun0", DeviceType.TUN, "10.1.1.1", null));
    }

    @Test
    void ipv6UsesPrefixlen() {
        assertEquals(List.of("ifconfig", "tun0", "inet6", "fd00::1", "prefixlen", "64"),
                IfconfigCommand.build("tun0", DeviceType.TUN, "fd00::1/64", null));
    }

    @Test
    void netmasks() {
        assertEquals("0.0.0.0", IfconfigCommand.netmask(0));
        assertEquals("255.0.0.0", IfconfigCommand.netmask(8));
        assertEquals("255.255.255.128", IfconfigCommand.netmask(25));
        assertEquals("255.255.255.255", IfconfigCommand.netmask(32));
    }

    @Test
    void malformedAddressesAreRefusedWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IfconfigCommand.build("tun0", DeviceType.TUN, "10.8.0.1/33", null));
        assertTrue(e.getMessage().contains("10.8.0.1/33"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IfconfigCommand.build("tun0", DeviceType.TUN, "10.8.0/24", null));
        assertThrows(IllegalArgumentException.class, () -> IfconfigCommand.build("tun0", DeviceType.TUN, "10.8.0.1/x", null));
        assertThrows(IllegalArgumentException.class, () -> IfconfigCommand.build("tun0", DeviceType.TUN, "host; rm -rf /", null));
        assertThrows(IllegalArgumentException.class, () -> IfconfigCommand.build("tun0", DeviceType.TUN, "fd00::1/129", null));
    }

    @Test
    void failingCommandReportsExitAndOutput() {
        IOException e = assertThrows(IOException.class, () -> IfconfigCommand.run(List.of("sh", "-c", "echo bad address >&2; exit 3")));
        assertEquals("sh -c echo bad address >&2; exit 3: exit 3: bad address", e.getMessage());
    }

    @Test
    void succeedingCommandReturns() throws IOException {
        IfconfigCommand.run(List.of("true"));
    }
}
