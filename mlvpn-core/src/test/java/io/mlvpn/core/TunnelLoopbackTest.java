package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Client and server tunnels in one JVM over loopback UDP, with in-memory devices. */
class TunnelLoopbackTest {

    @ParameterizedTest(name = "{0} link(s)")
    @ValueSource(ints = {1, 2, 3})
    void hundredThousandMixedPacketsArriveIntactAndComplete(int links) throws Exception {
        // Weighted round robin: equal shares to assert on (the adaptive default follows measured
        // rates, which loopback under a shared CPU makes noisy; TunnelBondingTest covers it).
        try (TunnelPair pair = TunnelPair.start(links, b -> b.scheduler("wrr"), b -> b.scheduler("wrr"))) {
            pair.awaitAllUp(10_000);
            int mtu = pair.client.mtu();
            TrafficCheck up = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            up.run(0, 100_000, 128, 2_000, null);
            String stats = "client " + pair.client.stats() + "\nserver " + pair.server.stats();
            assertEquals(0, up.corrupt(), "corrupt packets");
            assertEquals(0, up.duplicates(), "duplicates");
            assertEquals(100_000, up.distinct(), () -> "distinct packets received; " + stats);
            assertTrue(up.complete(0, 100_000));

            TrafficCheck down = new TrafficCheck(pair.serverDevice, pair.clientDevice, 20, mtu);
            down.run(0, 10_000, 128, 2_000, null);
            assertEquals(10_000, down.distinct(), "server to client");
            assertEquals(0, down.corrupt());

            TunnelStats cs = pair.client.stats();
            assertEquals(110_000, cs.devicePacketsIn() + cs.devicePacketsOut());
            if (links > 1) {
                for (LinkStats l : cs.links()) {
                    assertTrue(l.txPackets() > 100_000 / links / 2,
                            "round robin spreads packets: " + l.name() + " sent " + l.txPackets());
                }
            }
        }
    }

    @Test
    void aCutLinkGoesDownTrafficContinuesAndItComesBack() throws Exception {
        List<LinkEvent> events = new CopyOnWriteArrayList<>();
        try (TunnelPair pair = TunnelPair.start(2)) {
            pair.client.addListener(new TunnelListener() {
                @Override
                public void linkStateChanged(LinkEvent event) {
                    events.add(event);
                }
            });
            pair.awaitAllUp(10_000);
            int mtu = pair.client.mtu();
            TrafficCheck before = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            before.run(0, 5_000, 64, 1_000, null);
            assertEquals(5_000, before.distinct());

            long cutAt = System.currentTimeMillis();
            pair.relays.get(1).cut(true);
            // Traffic keeps flowing while the link is cut; what the cut link swallowed is sent again
            // on the surviving link once the cut one turns suspect.
            TrafficCheck during = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            during.run(5_000, 5_000, 64, 500, null);
            await(() -> pair.client.link("l1").get().state() == LinkState.DOWN, 3_000, "l1 down at the client");
            LinkEvent down = events.stream().filter(e -> e.link().equals("l1") && e.to() == LinkState.DOWN)
                    .findFirst().orElseThrow();
            long detectMillis = down.epochMillis() - cutAt;
            assertTrue(detectMillis <= 1_000 + 200, "down within the 1 s timeout, took " + detectMillis + " ms");
            assertEquals(TunnelState.UP, pair.client.state(), "the other link keeps the tunnel up");
            assertEquals(5_000, during.distinct(), "in-flight packets of the cut link were rescued");
            assertTrue(pair.relays.get(1).dropped() > 0, "the cut swallowed datagrams");

            TrafficCheck after = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            after.run(10_000, 5_000, 64, 1_000, null);
            assertEquals(5_000, after.distinct(), "nothing lost once the dead link is out of use");

            long healAt = System.currentTimeMillis();
            pair.relays.get(1).cut(false);
            pair.awaitAllUp(2_000);
            long backMillis = System.currentTimeMillis() - healAt;
            assertTrue(backMillis < 1_000, "back up soon after it answers again: " + backMillis + " ms");

            // Reports from the healed link count what the cut swallowed.
            TrafficCheck healed = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            healed.run(15_000, 2_000, 64, 500, null);
            await(() -> pair.client.link("l1").get().stats().lostPackets() > 0, 3_000,
                    "what the cut swallowed is counted as lost on l1");
            assertEquals(1, pair.client.link("l1").get().stats().downTransitions());
        }
    }
}
