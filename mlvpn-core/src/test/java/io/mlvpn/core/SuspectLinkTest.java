package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.core.testing.PacedStream;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.testkit.lab.Direction;
import io.mlvpn.testkit.lab.UdpRelay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A cut link, once SUSPECT, gets no new data while another link is up: only probes and
 * keepalives, its unacknowledged packets rescued onto the other link. Cut both ways (nothing from
 * the peer either) and cut one way (the peer's keepalives still arrive, what the client sends is
 * lost on the way), with the launcher's default timeout and keepalive as in the e2e lab.
 */
class SuspectLinkTest {
    private static final long INTERVAL_NANOS = 4_000_000L;
    private static final int PACKET_BYTES = 1000;

    @Test
    void aLinkCutBothWaysGetsOnlyProbesWhileSuspect() throws Exception {
        cut(Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT);
    }

    @Test
    void aLinkCutOneWayStaysOutOfUseWhileThePeerIsStillHeardOnIt() throws Exception {
        cut(Direction.CLIENT_TO_SERVER);
    }

    @Test
    void aLinkHeardAgainBeforeItIsAcknowledgedComesBackWithoutGoingDown() throws Exception {
        // A cut whose way back heals 0.9 s before its way out (as a heal seen from one end: the
        // peer is heard a moment before it acknowledges anything): past the 1 s down delay without
        // an acknowledgement, but heard, the link waits longer for one rather than go down.
        try (TunnelPair pair = TunnelPair.start(2, SuspectLinkTest::defaults, SuspectLinkTest::defaults)) {
            pair.awaitAllUp(10_000);
            List<String> l0 = new CopyOnWriteArrayList<>();
            List<String> timeline = new CopyOnWriteArrayList<>();
            AtomicLong cutAt = new AtomicLong();
            AtomicLong firstUpAt = new AtomicLong();
            pair.client.addListener(new TunnelListener() {
                @Override
                public void linkStateChanged(LinkEvent e) {
                    if (e.link().equals("l0") && cutAt.get() != 0) {
                        if (e.to() == LinkState.UP && firstUpAt.get() == 0) {
                            firstUpAt.set(System.nanoTime());
                        }
                        l0.add(e.from() + "->" + e.to());
                        timeline.add(e.to() + " +" + (System.nanoTime() - cutAt.get()) / 1_000_000L + " ms ("
                                + e.reason() + ")");
                    }
                }
            });
            UdpRelay relay = pair.relays.get(0);
            // Traffic both ways, as TCP makes: the server's own data and probes are what the
            // client hears once the way back heals.
            try (PacedStream stream = new PacedStream(pair.clientDevice, pair.serverDevice, PACKET_BYTES,
                    INTERVAL_NANOS);
                    PacedStream back = new PacedStream(pair.serverDevice, pair.clientDevice, PACKET_BYTES,
                            INTERVAL_NANOS)) {
                // Phase lengths, not waits for an event: both ways carry the stream before the cut.
                Thread.sleep(1_000);
                cutAt.set(System.nanoTime());
                relay.cut(true);
                TunnelPair.await(() -> l0.contains("UP->SUSPECT"), 2_000, "l0 suspect after the cut");
                Thread.sleep(Math.max(0, 500 - (System.nanoTime() - cutAt.get()) / 1_000_000L));
                relay.cut(Direction.SERVER_TO_CLIENT, false);
                // The way out stays cut this long after the way back healed.
                Thread.sleep(900);
                long outHealedAt = System.nanoTime();
                relay.cut(Direction.CLIENT_TO_SERVER, false);
                TunnelPair.await(() -> pair.client.link("l0").orElseThrow().state() == LinkState.UP, 5_000,
                        "l0 up after the heal: " + l0);
                long upAt = System.nanoTime();
                stream.stop(300);
                back.stop(0);
                int sent = stream.sentBetween(cutAt.get() + 300_000_000L, upAt);
                int received = stream.receivedBetween(cutAt.get() + 300_000_000L, upAt);
                System.out.println("heard before acknowledged: l0 " + timeline + "; " + received + " of " + sent
                        + " packets sent while suspect arrived");
                assertTrue(l0.size() >= 2 && l0.subList(0, 2).equals(List.of("UP->SUSPECT", "SUSPECT->UP"))
                        && l0.stream().noneMatch(t -> t.endsWith("->DOWN")), () -> "l0 went down: " + timeline);
                assertTrue(firstUpAt.get() - outHealedAt > 0,
                        () -> "l0 back up before its way out healed, at +" + (outHealedAt - cutAt.get()) / 1_000_000L
                                + " ms: " + timeline);
                assertTrue(received >= sent * 99L / 100, () -> received + " of " + sent + " packets arrived");
            }
        }
    }

    private static void cut(Direction... directions) throws Exception {
        try (TunnelPair pair = TunnelPair.start(2, SuspectLinkTest::defaults, SuspectLinkTest::defaults)) {
            pair.awaitAllUp(10_000);
            List<String> l0 = new CopyOnWriteArrayList<>();
            AtomicLong suspectAt = new AtomicLong();
            AtomicBoolean cutOn = new AtomicBoolean();
            pair.client.addListener(new TunnelListener() {
                @Override
                public void linkStateChanged(LinkEvent e) {
                    if (e.link().equals("l0") && cutOn.get()) {
                        if (e.to() == LinkState.SUSPECT && suspectAt.get() == 0) {
                            suspectAt.set(System.nanoTime());
                        }
                        l0.add(e.from() + "->" + e.to());
                    }
                }
            });
            UdpRelay relay = pair.relays.get(0);
            try (PacedStream stream = new PacedStream(pair.clientDevice, pair.serverDevice, PACKET_BYTES,
                    INTERVAL_NANOS)) {
                // The stream runs on both links before the cut.
                Thread.sleep(1_000);
                cutOn.set(true);
                for (Direction d : directions) {
                    relay.cut(d, true);
                }
                TunnelPair.await(() -> suspectAt.get() != 0, 2_000, "l0 suspect after the cut");
                // From a little after the suspect transition (what the device reader had in hand
                // then may still go out) to the heal, l0 may send only probes and keepalives.
                Thread.sleep(50);
                LinkStats before = pair.client.link("l0").orElseThrow().stats();
                long from = System.nanoTime();
                Thread.sleep(1_500);
                LinkStats after = pair.client.link("l0").orElseThrow().stats();
                long to = System.nanoTime();
                List<String> during = List.copyOf(l0);
                for (Direction d : directions) {
                    relay.cut(d, false);
                }
                TunnelPair.await(() -> pair.client.link("l0").orElseThrow().state() == LinkState.UP, 5_000,
                        "l0 up after the heal: " + l0);
                stream.stop(300);

                long packets = after.txPackets() - before.txPackets();
                long bytes = after.txBytes() - before.txBytes();
                int sent = stream.sentBetween(from, to);
                int received = stream.receivedBetween(from, to);
                System.out.println("cut " + List.of(directions) + ": l0 " + l0 + "; while cut l0 sent " + packets
                        + " datagrams, " + bytes + " bytes; " + received + " of " + sent + " packets arrived");
                assertTrue(during.stream().noneMatch(t -> t.endsWith("->UP") || t.endsWith("->PROBATION")),
                        () -> "l0 back in use while cut: " + during);
                assertTrue(bytes < packets * (PACKET_BYTES / 2),
                        () -> "l0 sent data while cut: " + packets + " datagrams, " + bytes + " bytes");
                assertTrue(received >= sent * 99L / 100, () -> received + " of " + sent + " packets arrived; l0 " + during);
            }
        }
    }

    private static io.mlvpn.api.config.TunnelConfig.Builder defaults(io.mlvpn.api.config.TunnelConfig.Builder b) {
        return b.keepaliveInterval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(10));
    }
}
