package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Link;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.core.link.PathMtuProber;
import io.mlvpn.core.testing.InnerPackets;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.testkit.lab.Direction;
import io.mlvpn.testkit.lab.Impairment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A link whose path carries less than its configured MTU (issue 13: PPPoE's 1492, LTE paths of
 * 1428-1480) is found by path-MTU probing, and the tunnel MTU follows it with an event, so that
 * full-size packets are answered with "packet too big" instead of vanishing on that link.
 */
class PathMtuTunnelTest {
    private static final int CONFIGURED_DATAGRAM = 1500 - 28;

    @Test
    void aLinkWhosePathShrinksMidRunLowersTheTunnelMtu() throws Exception {
        try (TunnelPair pair = TunnelPair.start(2)) {
            pair.awaitAllUp(10_000);
            List<String> events = new CopyOnWriteArrayList<>();
            pair.client.addListener(new TunnelListener() {
                @Override
                public void pathMtuChanged(String linkName, int pathMtu, int tunnelMtu) {
                    events.add(linkName + " " + pathMtu + " " + tunnelMtu);
                }
            });
            Link l0 = pair.client.link("l0").orElseThrow();
            Link l1 = pair.client.link("l1").orElseThrow();
            TunnelPair.await(() -> l0.pathMtu() == CONFIGURED_DATAGRAM && l1.pathMtu() == CONFIGURED_DATAGRAM, 5_000,
                    "both paths confirmed at the configured size");
            int configured = pair.client.mtu();
            assertEquals(configured, pair.client.mtuInForce());

            // The path of l0 now swallows datagrams above 1400 bytes, as a PPPoE or LTE hop whose
            // ICMP errors are lost would.
            pair.relays.get(0).impair(Impairment.builder().maxDatagramBytes(1400).build(), Impairment.NONE);
            // Found within a confirmation interval, three lost probes and a search of a few probes.
            TunnelPair.await(() -> !events.isEmpty() && l0.pathMtu() <= 1400
                    && l0.pathMtu() > 1400 - PathMtuProber.GRANULARITY,
                    PathMtuProber.CONFIRM_INTERVAL_NANOS / 1_000_000 + 15_000, "the path MTU of l0 found again");
            int found = l0.pathMtu();
            assertTrue(found <= 1400 && found > 1400 - PathMtuProber.GRANULARITY, "found " + found);
            assertEquals(found - 32, pair.client.mtuInForce(), "the tunnel MTU follows the smallest path");
            assertEquals(CONFIGURED_DATAGRAM, l1.pathMtu(), "the other link is untouched");
            assertEquals(CONFIGURED_DATAGRAM, pair.server.link("l0").orElseThrow().pathMtu(),
                    "the other direction of l0 is untouched");
            assertEquals(List.of("l0 " + found + " " + (found - 32)), events,
                    "one event, once the search is over: the base size it fell back to meanwhile is not announced");

            // A packet of the old size is answered with "packet too big" at the new MTU ...
            byte[] big = InnerPackets.build(false, InternetChecksum.PROTOCOL_UDP, configured, 1);
            assertTrue(pair.clientDevice.inject(big));
            byte[] answer = new byte[2048];
            int n = pair.clientDevice.poll(answer, 5, TimeUnit.SECONDS);
            assertTrue(n >= 28, "an ICMP answer came back");
            assertEquals(3, answer[20], "ICMP destination unreachable");
            assertEquals(4, answer[21], "fragmentation needed");
            assertEquals(found - 32, ((answer[26] & 0xFF) << 8) | (answer[27] & 0xFF), "the MTU in force");
            // ... and every packet of the new size gets through, whichever link carries it.
            for (int i = 0; i < 200; i++) {
                assertTrue(pair.clientDevice.inject(InnerPackets.build(false, InternetChecksum.PROTOCOL_UDP,
                        found - 32, 100 + i)));
            }
            int delivered = 0;
            while (delivered < 200 && pair.serverDevice.poll(answer, 5, TimeUnit.SECONDS) > 0) {
                delivered++;
            }
            assertEquals(200, delivered, "full-size packets at the new MTU all arrive");
        }
    }
}
