package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.testing.EngineLeakCheck;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Outer links over IPv6: a client and a server on [::1], and the MTU derived for IPv6. */
class Ipv6TunnelTest {

    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return s.getLocalAddress() instanceof Inet6Address;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aTunnelRunsOverIpv6Links() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
        int port = TunnelPair.freePort();
        TunnelConfig server = TunnelPair.base(Mode.SERVER, TunnelPair.key(3)).interfaceName("srv6")
                .addLink(LinkConfig.builder("v6").bindHost("::1").bindPort(port).build()).build();
        TunnelConfig client = TunnelPair.base(Mode.CLIENT, TunnelPair.key(3)).interfaceName("cli6")
                .addLink(LinkConfig.builder("v6").remoteHost("::1").remotePort(port).build()).build();
        assertEquals(1500 - 48 - 32, TunnelBuilder.tunnelMtu(client), "IPv6 + UDP + protocol overhead");
        int mtu = TunnelBuilder.tunnelMtu(client);
        MemoryDevice sd = new MemoryDevice("srv6", DeviceType.TUN, mtu, 1024);
        MemoryDevice cd = new MemoryDevice("cli6", DeviceType.TUN, mtu, 1024);
        try (Tunnel s = EngineLeakCheck.watch(TunnelBuilder.of(server).device(sd).build());
                Tunnel c = EngineLeakCheck.watch(TunnelBuilder.of(client).device(cd).build())) {
            s.start();
            c.start();
            TunnelPair.await(() -> TunnelPair.allUp(c) && TunnelPair.allUp(s), 10_000, "IPv6 link up");
            TrafficCheck up = new TrafficCheck(cd, sd, 20, mtu);
            up.run(0, 2_000, 64, 500, null);
            assertEquals(2_000, up.distinct());
            TrafficCheck down = new TrafficCheck(sd, cd, 20, mtu);
            down.run(0, 2_000, 64, 500, null);
            assertEquals(2_000, down.distinct());
            assertEquals("0:0:0:0:0:0:0:1", s.stats().links().get(0).peer().replaceAll(":\\d+$", ""));
        } finally {
            sd.close();
            cd.close();
        }
    }
}
