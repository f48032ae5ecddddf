package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rekeying, oversize packets and live reconfiguration of running tunnels. */
class TunnelBehaviourTest {

    @Test
    void rekeyReplacesTheSessionWithoutLosingAPacket() throws Exception {
        // The shortest rekey interval the configuration allows; traffic runs in chunks until the
        // client has rekeyed, and every chunk must arrive complete.
        try (TunnelPair pair = TunnelPair.start(2, b -> b, b -> b.rekeyInterval(Duration.ofSeconds(5)))) {
            pair.awaitAllUp(10_000);
            assertEquals(1, pair.client.stats().handshakes());
            int mtu = pair.client.mtu();
            long first = 0;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (pair.client.stats().handshakes() < 2 || first < 20_000) {
                assertTrue(System.nanoTime() < deadline, "no rekey within 20 s");
                TrafficCheck chunk = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
                chunk.run(first, 2_000, 64, 1_000, null);
                assertEquals(2_000, chunk.distinct(), "chunk from " + first + " complete");
                assertEquals(0, chunk.corrupt());
                first += 2_000;
            }
            assertTrue(TunnelPair.allUp(pair.client), "links stayed up");
        }
    }

    @Test
    void anOversizePacketIsDroppedAndAnsweredWithIcmp() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1)) {
            pair.awaitAllUp(10_000);
            byte[] big = new byte[pair.client.mtu() + 60];
            big[0] = 0x45;
            big[2] = (byte) (big.length >>> 8);
            big[3] = (byte) big.length;
            big[6] = 0x40; // DF: only such a packet is answered (RFC 1191)
            big[8] = 64;
            big[9] = 17;
            big[12] = 10;
            big[15] = 2;
            big[16] = (byte) 192;
            big[19] = 7;
            assertTrue(pair.clientDevice.inject(big, 0, big.length));
            byte[] answer = new byte[2048];
            int n = pair.clientDevice.poll(answer, 5, TimeUnit.SECONDS);
            assertTrue(n > 28, "an ICMP answer came back into the device");
            assertEquals(1, answer[9], "ICMP");
            assertEquals(3, answer[20], "destination unreachable");
            assertEquals(4, answer[21], "fragmentation needed");
            assertEquals(pair.client.mtu(), ((answer[26] & 0xFF) << 8) | (answer[27] & 0xFF));
            assertEquals(1, pair.client.stats().dropsOversize());
            assertEquals(0, pair.server.stats().devicePacketsOut(), "nothing oversize crossed");
        }
    }

    @Test
    void aReloadAddsAndRemovesLinksWithoutDroppingTheTunnel() throws Exception {
        try (TunnelPair pair = TunnelPair.start(2)) {
            pair.awaitAllUp(10_000);
            int mtu = pair.client.mtu();
            LinkConfig[] third = pair.addLinkPair("l2");
            List<String> serverNotApplied = pair.server.reconfigure(withLink(pair.server.config(), third[0]));
            List<String> clientNotApplied = pair.client.reconfigure(withLink(pair.client.config(), third[1]));
            assertEquals(List.of(), serverNotApplied);
            assertEquals(List.of(), clientNotApplied);
            assertEquals(3, pair.client.links().size());
            await(() -> TunnelPair.allUp(pair.client) && TunnelPair.allUp(pair.server), 5_000, "l2 up");
            TrafficCheck traffic = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            traffic.run(0, 3_000, 64, 1_000, null);
            assertEquals(3_000, traffic.distinct());
            assertTrue(pair.client.link("l2").get().stats().txPackets() > 500, "the new link carries traffic");

            pair.client.reconfigure(without(pair.client.config(), "l0"));
            pair.server.reconfigure(without(pair.server.config(), "l0"));
            assertEquals(2, pair.client.links().size());
            assertEquals(LinkState.UP, pair.client.link("l1").get().state());
            TrafficCheck after = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            after.run(3_000, 3_000, 64, 1_000, null);
            assertEquals(3_000, after.distinct(), "traffic continues on the remaining links");
        }
    }

    @Test
    void aReloadChangingOnlyTheSocketBufferReopensThatLink() throws Exception {
        List<LinkEvent> events = new CopyOnWriteArrayList<>();
        try (TunnelPair pair = TunnelPair.start(2)) {
            pair.client.addListener(new TunnelListener() {
                @Override
                public void linkStateChanged(LinkEvent event) {
                    events.add(event);
                }
            });
            pair.awaitAllUp(10_000);
            List<LinkConfig> links = new ArrayList<>(pair.client.config().links());
            links.set(1, links.get(1).toBuilder().socketBufferBytes(8 << 20).build());
            assertEquals(List.of(), pair.client.reconfigure(pair.client.config().toBuilder().links(links).build()));
            assertEquals(8 << 20, pair.client.config().links().get(1).socketBufferBytes());
            await(() -> events.stream().anyMatch(e -> e.link().equals("l1") && e.to() == LinkState.DOWN
                    && e.reason().equals("socket settings changed by reload")), 5_000, "l1 reopened");
            assertTrue(events.stream().noneMatch(e -> e.link().equals("l0") && e.to() == LinkState.DOWN),
                    "l0 untouched: " + events);
            await(() -> TunnelPair.allUp(pair.client) && TunnelPair.allUp(pair.server), 5_000, "l1 up again");
        }
    }

    @Test
    void whatCannotChangeLiveIsReported() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1)) {
            TunnelConfig changed = pair.client.config().toBuilder().interfaceName("other0")
                    .cipher(io.mlvpn.api.crypto.CipherSuite.CHACHA20_POLY1305).build();
            List<String> notApplied = pair.client.reconfigure(changed);
            assertEquals(List.of("cipher: changes only at restart", "interface.*: changes only at restart"),
                    notApplied);
            assertEquals("cli0", pair.client.config().interfaceName());
        }
    }

    private static TunnelConfig withLink(TunnelConfig c, LinkConfig l) throws Exception {
        return c.toBuilder().addLink(l).build();
    }

    private static TunnelConfig without(TunnelConfig c, String name) throws Exception {
        List<LinkConfig> keep = new ArrayList<>();
        for (LinkConfig l : c.links()) {
            if (!l.name().equals(name)) {
                keep.add(l);
            }
        }
        return c.toBuilder().links(keep).build();
    }
}
