package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.testing.PacedStream;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.core.transport.DatagramChannelTransportProvider;
import io.mlvpn.core.transport.FaultyTransportProvider;
import io.mlvpn.core.transport.FaultyTransportProvider.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A link whose sends fail (the transport throws, or sends nothing) while the other link works:
 * the engine's threads all live through it, the tunnel keeps carrying traffic, and the faulty link
 * is usable again once its sends work.
 */
class FaultInjectionTest {
    private static final int DURING_PACKETS = 500;

    @Test
    void sendsThatThrowTakeTheLinkDownCostNoThreadAndTheLinkRecovers() throws Exception {
        List<String> transitions = runFault(Fault.THROW, 0);
        // The documented event: "link l0: up -> down (socket error: ...; reopened in 100 ms)", then
        // reopened with a doubling wait while the new socket fails too: a few tries, not one a tick.
        assertEquals("UP->DOWN", transitions.get(0), transitions.toString());
        long reopens = transitions.stream().filter("DOWN->CONNECTING"::equals).count();
        assertTrue(reopens >= 1 && reopens <= 8, () -> reopens + " reopens: " + transitions);
        assertTrue(transitions.stream().anyMatch(t -> t.endsWith("->UP")), () -> "l0 came back up: " + transitions);
    }

    @Test
    void sendsThatSendNothingCostNoThreadAndTheLinkRecovers() throws Exception {
        runFault(Fault.ZERO, 0);
    }

    @Test
    void anInterfaceDownTakesTheLinkOutOfUseAndItRecovers() throws Exception {
        List<String> transitions = runFault(Fault.DOWN, DURING_PACKETS * 9 / 10);
        // Sends refused by the socket (ENETUNREACH) get no answer: the link turns suspect like a
        // silent one, its traffic moves to l1 (only what l0 took before may be missing), and it
        // comes back once the interface is up.
        assertEquals("UP->SUSPECT", transitions.get(0), transitions.toString());
        assertTrue(transitions.stream().anyMatch(t -> t.endsWith("->UP")), () -> "l0 came back up: " + transitions);
    }

    @Test
    void aLinkWhoseSendsFailIsOutOfUseWhileTheyFailAndNothingElseIsLost() throws Exception {
        // The launcher's defaults (10 s timeout, 1 s keepalives): the peer keeps l0 up and its
        // keepalives keep arriving on it, so only the lack of acknowledgements shows the fault.
        FaultyTransportProvider faulty = new FaultyTransportProvider();
        TunnelConfig[] pair = configs('o', b -> b.keepaliveInterval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(10)));
        TunnelConfig sc = pair[0];
        TunnelConfig cc = pair[1];
        int mtu = TunnelBuilder.tunnelMtu(sc);
        try (MemoryDevice sd = new MemoryDevice("osrv0", DeviceType.TUN, mtu + 200, 4096);
                MemoryDevice cd = new MemoryDevice("ocli0", DeviceType.TUN, mtu + 200, 4096);
                Tunnel server = TunnelBuilder.of(sc).device(sd).build();
                Tunnel client = TunnelBuilder.of(cc).device(cd)
                        .transportProviders(List.of(faulty, new DatagramChannelTransportProvider())).build()) {
            server.start();
            client.start();
            TunnelPair.await(() -> TunnelPair.allUp(client) && TunnelPair.allUp(server), 10_000, "all links up");
            List<String> l0 = new CopyOnWriteArrayList<>();
            AtomicLong detected = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean faultOn = new java.util.concurrent.atomic.AtomicBoolean();
            client.addListener(new TunnelListener() {
                @Override
                public void linkStateChanged(LinkEvent e) {
                    if (e.link().equals("l0") && faultOn.get()) {
                        if (l0.isEmpty()) {
                            detected.set(System.nanoTime());
                        }
                        l0.add(e.from() + "->" + e.to());
                    }
                }
            });
            try (PacedStream stream = new PacedStream(cd, sd, 1000, 4_000_000L)) {
                // Phase lengths, not waits for an event: both links carry the stream first,
                // so l0 carries data when it fails.
                Thread.sleep(1_000);
                long faultAt = System.nanoTime();
                faultOn.set(true);
                faulty.fault(Fault.ZERO);
                TunnelPair.await(() -> !l0.isEmpty(), 2_000, "l0 out of use after its sends failed");
                // The fault lasts this long; what is counted is delivery over it, whatever the machine's speed.
                Thread.sleep(3_000);
                List<String> during = List.copyOf(l0);
                faulty.fault(Fault.NONE);
                long fixedAt = System.nanoTime();
                TunnelPair.await(() -> client.link("l0").orElseThrow().state() == LinkState.UP, 5_000,
                        "l0 up again once its sends work: " + l0);
                long upAt = System.nanoTime();
                // Traffic after the repair, to show l0 carries data again.
                Thread.sleep(1_500);
                stream.stop(300);

                System.out.println("one-way send fault: l0 " + l0 + ", detected after "
                        + (detected.get() - faultAt) / 1_000_000L + " ms, back up "
                        + (upAt - fixedAt) / 1_000_000L + " ms after the fix; delivered "
                        + stream.receivedBetween(detected.get(), fixedAt) + " of "
                        + stream.sentBetween(detected.get(), fixedAt) + " sent after detection");
                assertEquals("UP->SUSPECT", during.get(0), during.toString());
                assertTrue(during.contains("SUSPECT->DOWN"), () -> "l0 down while its sends fail: " + during);
                assertTrue(during.stream().noneMatch(t -> t.endsWith("->UP") || t.endsWith("->PROBATION")),
                        () -> "l0 taken back into use while its sends failed: " + during);
                int sent = stream.sentBetween(detected.get(), fixedAt);
                int received = stream.receivedBetween(detected.get(), fixedAt);
                assertTrue(sent > 500 && received >= sent * 99L / 100,
                        () -> received + " of " + sent + " packets sent after detection arrived; l0 " + during);
                long after = upAt + 200_000_000L;
                int sentAfter = stream.sentBetween(after, after + 1_000_000_000L);
                int receivedAfter = stream.receivedBetween(after, after + 1_000_000_000L);
                assertTrue(sentAfter > 100 && receivedAfter >= sentAfter * 99L / 100,
                        () -> receivedAfter + " of " + sentAfter + " packets after l0 came back arrived");
            }
        }
    }

    /**
     * Runs the fault on the client's link l0, asking that at least {@code leastDelivered} of the
     * packets offered during it arrive; returns l0's state changes on the client.
     */
    private static List<String> runFault(Fault fault, int leastDelivered) throws Exception {
        FaultyTransportProvider faulty = new FaultyTransportProvider();
        TunnelConfig[] pair = configs('f', b -> b);
        TunnelConfig sc = pair[0];
        TunnelConfig cc = pair[1];
        int mtu = TunnelBuilder.tunnelMtu(sc);
        try (MemoryDevice sd = new MemoryDevice("fsrv0", DeviceType.TUN, mtu + 200, 4096);
                MemoryDevice cd = new MemoryDevice("fcli0", DeviceType.TUN, mtu + 200, 4096);
                Tunnel server = TunnelBuilder.of(sc).device(sd).build();
                Tunnel client = TunnelBuilder.of(cc).device(cd)
                        .transportProviders(List.of(faulty, new DatagramChannelTransportProvider())).build()) {
            server.start();
            client.start();
            TunnelPair.await(() -> TunnelPair.allUp(client) && TunnelPair.allUp(server), 10_000, "all links up");
            Set<String> threadsBefore = engineThreads("fcli0");
            List<String> transitions = new CopyOnWriteArrayList<>();
            TunnelListener l0Events = new TunnelListener() {
                @Override
                public void linkStateChanged(LinkEvent e) {
                    if (e.link().equals("l0")) {
                        transitions.add(e.from() + "->" + e.to());
                    }
                }
            };
            client.addListener(l0Events);

            faulty.fault(fault);
            // Traffic while l0 cannot send: what the scheduler gives l0 is lost until the link is
            // out of use, then everything goes over l1.
            TrafficCheck offered = new TrafficCheck(cd, sd, 20, mtu);
            // The receiver waits up to 2 s for each packet, so a slow start does not end it early.
            offered.run(0, DURING_PACKETS, 4, 2_000, null);
            assertTrue(faulty.failedSends() > 0, "the fault was hit: the scheduler used l0");
            assertTrue(offered.distinct() >= leastDelivered, () -> offered.distinct() + " of " + DURING_PACKETS
                    + " packets delivered during the fault; l0: " + transitions);
            // l0's receiver goes with its socket while the link reopens it (a new one starts with
            // the new socket), so it may be between two sockets now; every other thread must live.
            Set<String> mustLive = new TreeSet<>(threadsBefore);
            mustLive.remove("mlvpn-fcli0-l0-receiver");
            Set<String> during = engineThreads("fcli0");
            assertTrue(during.containsAll(mustLive), () -> "no engine thread died while sends failed: " + during);
            faulty.fault(Fault.NONE);

            TunnelPair.await(() -> client.link("l0").orElseThrow().state() == LinkState.UP
                    && server.link("l0").orElseThrow().state() == LinkState.UP, 10_000, "l0 up again on both ends");
            drain(sd);
            TrafficCheck after = new TrafficCheck(cd, sd, 20, mtu);
            after.run(100_000, 1_000, 64, 1_000, null);
            assertEquals(1_000, after.distinct(), () -> "every packet after the fault; client " + client.stats());
            assertEquals(threadsBefore, engineThreads("fcli0"), "the same engine threads at the end");
            System.out.println(fault + ": " + faulty.failedSends() + " failed sends, " + offered.distinct() + " of "
                    + DURING_PACKETS + " packets delivered during the fault; client l0: " + transitions.size()
                    + " state changes, first " + transitions.subList(0, Math.min(4, transitions.size())));
            return List.copyOf(transitions);
        }
    }

    /**
     * Takes what is still on its way out of {@code device}: datagrams a failed send left queued
     * arrive late, after the fault, and belong to no later check.
     */
    private static void drain(MemoryDevice device) throws InterruptedException {
        byte[] p = new byte[65536];
        while (device.poll(p, 300, TimeUnit.MILLISECONDS) >= 0) {
            // Discarded.
        }
    }

    /** Names of the live threads of the tunnel on device {@code device}. */
    private static Set<String> engineThreads(String device) {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("mlvpn-" + device + "-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /**
     * The server's and the client's configuration (in that order) of a two-link pair over loopback
     * whose client link l0 sends through the faulty transport; devices are named {@code Xsrv0} and
     * {@code Xcli0} for the given prefix.
     */
    private static TunnelConfig[] configs(char prefix, UnaryOperator<TunnelConfig.Builder> settings)
            throws Exception {
        TunnelConfig.Builder sb = settings.apply(
                TunnelPair.base(Mode.SERVER, TunnelPair.key(7)).interfaceName(prefix + "srv0"));
        TunnelConfig.Builder cb = settings.apply(
                TunnelPair.base(Mode.CLIENT, TunnelPair.key(7)).interfaceName(prefix + "cli0"));
        for (int i = 0; i < 2; i++) {
            int port = TunnelPair.freePort();
            sb.addLink(LinkConfig.builder("l" + i).bindHost("127.0.0.1").bindPort(port).build());
            LinkConfig.Builder l = LinkConfig.builder("l" + i).bindHost("127.0.0.1").remoteHost("127.0.0.1")
                    .remotePort(port);
            cb.addLink((i == 0 ? l.transport(FaultyTransportProvider.NAME) : l).build());
        }
        return new TunnelConfig[] {sb.build(), cb.build()};
    }
}
