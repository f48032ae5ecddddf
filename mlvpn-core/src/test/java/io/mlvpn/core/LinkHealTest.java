package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.core.testing.PacedStream;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.testkit.lab.Impairment;
import io.mlvpn.testkit.lab.UdpRelay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A link cut and healed under a steady stream, with the launcher's default timeout and keepalive
 * (as in the e2e lab's flaps and faults): what the outage lost (data sent into the cut, probes
 * while suspect or down) must not turn the healed link LOSSY, while loss after the heal still does.
 */
class LinkHealTest {
    private static final long STREAM_INTERVAL_NANOS = 4_000_000L;

    @Test
    void aCutHealedWhileSuspectComesBackUpNotLossyAndRealLossStillCounts() throws Exception {
        try (TunnelPair pair = start()) {
            List<String> l0 = watch(pair);
            try (PacedStream stream = new PacedStream(pair.clientDevice, pair.serverDevice, 1000, STREAM_INTERVAL_NANOS)) {
                // Phase lengths, not waits for an event: both links carry the stream before
                // the cut and for a while after the heal.
                Thread.sleep(1_000);
                // 0.7 s: suspect after about 0.1 s, down only after a second of silence.
                cutAndHeal(pair, l0, 700);
                TunnelPair.await(() -> l0State(pair) == LinkState.UP, 3_000, "l0 up after the heal");
                long healed = System.nanoTime();
                Thread.sleep(1_500);
                assertTrue(l0.stream().noneMatch(t -> t.contains("->LOSSY")), () -> "healed l0 turned lossy: " + l0);
                assertEverySecondPacketArrived(stream, healed);

                // Real loss after the heal: half of what l0 sends to the server.
                pair.relays.get(0).impair(Impairment.builder().lossProbability(0.5).build(), Impairment.NONE);
                TunnelPair.await(() -> l0State(pair) == LinkState.LOSSY, 10_000, "l0 lossy under 50 % loss: " + l0);
            }
        }
    }

    @Test
    void aCutLongerThanTheDownDelayHealsThroughProbationNotLossy() throws Exception {
        try (TunnelPair pair = start()) {
            List<String> l0 = watch(pair);
            try (PacedStream stream = new PacedStream(pair.clientDevice, pair.serverDevice, 1000, STREAM_INTERVAL_NANOS)) {
                // As above: the stream runs before the cut and after the heal.
                Thread.sleep(1_000);
                cutAndHeal(pair, l0, 2_000);
                assertTrue(l0.contains("SUSPECT->DOWN"), () -> "l0 went down during the cut: " + l0);
                TunnelPair.await(() -> l0State(pair) == LinkState.UP, 3_000, "l0 up after the heal");
                long healed = System.nanoTime();
                Thread.sleep(1_500);
                assertTrue(l0.stream().noneMatch(t -> t.contains("->LOSSY")), () -> "healed l0 turned lossy: " + l0);
                assertEverySecondPacketArrived(stream, healed);
            }
        }
    }

    /** Of the packets sent in the second after {@code fromNanos}, at least 99 % arrived. */
    private static void assertEverySecondPacketArrived(PacedStream stream, long fromNanos) {
        long to = fromNanos + 1_000_000_000L;
        int sent = stream.sentBetween(fromNanos, to);
        int received = stream.receivedBetween(fromNanos, to);
        assertTrue(sent > 100 && received >= sent * 99L / 100,
                () -> received + " of " + sent + " packets sent in the second after the heal arrived");
    }

    /** Two links with the launcher's defaults: 10 s timeout, 1 s keepalives. */
    private static TunnelPair start() throws Exception {
        TunnelPair pair = TunnelPair.start(2, LinkHealTest::defaults, LinkHealTest::defaults);
        pair.awaitAllUp(10_000);
        return pair;
    }

    private static io.mlvpn.api.config.TunnelConfig.Builder defaults(io.mlvpn.api.config.TunnelConfig.Builder b) {
        return b.keepaliveInterval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(10));
    }

    /** Cuts l0 both ways for {@code millis} once it carries the stream, then heals it. */
    private static void cutAndHeal(TunnelPair pair, List<String> l0, long millis) throws InterruptedException {
        UdpRelay relay = pair.relays.get(0);
        relay.cut(true);
        TunnelPair.await(() -> l0.contains("UP->SUSPECT"), 2_000, "l0 suspect after the cut");
        // How long the cut lasts: the outage whose losses the healed link must not count.
        Thread.sleep(millis);
        relay.cut(false);
    }

    private static LinkState l0State(TunnelPair pair) {
        return pair.client.link("l0").orElseThrow().state();
    }

    /** The client's l0 state changes from now on, as "FROM->TO". */
    private static List<String> watch(TunnelPair pair) {
        List<String> l0 = new CopyOnWriteArrayList<>();
        pair.client.addListener(new TunnelListener() {
            @Override
            public void linkStateChanged(LinkEvent e) {
                if (e.link().equals("l0")) {
                    l0.add(e.from() + "->" + e.to());
                }
            }
        });
        return l0;
    }
}
