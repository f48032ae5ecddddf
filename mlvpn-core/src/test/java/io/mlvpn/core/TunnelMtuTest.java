package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.testing.TunnelPair;
import org.junit.jupiter.api.Test;

/** The derived tunnel MTU: what a full-size packet or frame may be so that it fits one link datagram. */
class TunnelMtuTest {
    private static TunnelConfig.Builder client(DeviceType type, String... remotes) throws ConfigException {
        TunnelConfig.Builder b = TunnelPair.base(Mode.CLIENT, TunnelPair.key(1)).interfaceType(type);
        for (int i = 0; i < remotes.length; i++) {
            b.addLink(LinkConfig.builder("l" + i).remoteHost(remotes[i]).remotePort(5080).build());
        }
        return b;
    }

    @Test
    void aTunPacketFillsTheLinkDatagram() throws ConfigException {
        assertEquals(1500 - 28 - 32, TunnelBuilder.tunnelMtu(client(DeviceType.TUN, "192.0.2.1").build()));
        assertEquals(1500 - 48 - 32, TunnelBuilder.tunnelMtu(client(DeviceType.TUN, "2001:db8::1").build()));
    }

    @Test
    void aTapFrameCarriesItsEthernetHeaderToo() throws ConfigException {
        assertEquals(1426, TunnelBuilder.tunnelMtu(client(DeviceType.TAP, "192.0.2.1").build()));
        assertEquals(1406, TunnelBuilder.tunnelMtu(client(DeviceType.TAP, "192.0.2.1", "2001:db8::1").build()),
                "the smallest over the links: the IPv6 one");
        // A full-size frame, MTU + 14, plus the protocol, UDP and IPv4 overhead: exactly the link's 1500.
        assertEquals(1500, TunnelBuilder.tunnelMtu(client(DeviceType.TAP, "192.0.2.1").build())
                + TunnelBuilder.ETHERNET_HEADER + 32 + 28);
    }

    @Test
    void aConfiguredMtuIsTakenAsItIs() throws ConfigException {
        assertEquals(1400, TunnelBuilder.tunnelMtu(client(DeviceType.TAP, "192.0.2.1").interfaceMtu(1400).build()));
    }
}
