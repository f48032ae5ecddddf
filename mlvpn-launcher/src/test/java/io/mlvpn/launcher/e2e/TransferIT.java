package io.mlvpn.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TCP transfers (iperf3) through the launcher jar over three links rate-limited to 20 Mbit/s:
 * bonding beats one link, a cut link does not break a transfer, and SIGHUP adds a link under load.
 */
class TransferIT {
    private static final String RATE = "20mbit";
    private static Lab lab;
    private static Path key;
    private Launcher server;
    private Launcher client;

    @BeforeAll
    static void up() {
        Optional<String> why = Lab.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        lab = Lab.up("itxfer" + ProcessHandle.current().pid(), 3, RATE);
        key = E2e.key(lab, "transfer.key");
        E2e.startIperfServer(lab);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stopLaunchers() {
        for (Launcher l : new Launcher[] {client, server}) {
            if (l != null && l.alive()) {
                l.kill();
            }
        }
    }

    /** Starts server then client on {@code links}; waits for the tunnel. */
    private void start(String tag, List<Integer> serverLinks, List<Integer> clientLinks, String clientExtra) {
        server = Launcher.start(lab, 's', "server-" + tag, E2e.server(lab, "server-" + tag + ".properties", key,
                serverLinks, E2e.FAST));
        client = Launcher.start(lab, 'c', "client-" + tag, E2e.client(lab, "client-" + tag + ".properties", key,
                clientLinks, E2e.FAST + clientExtra));
        E2e.awaitTunnel(lab, 30, server, client);
    }

    private void stop() {
        assertEquals(0, client.terminate(), client.log());
        assertEquals(0, server.terminate(), server.log());
    }

    @Test
    void twoLinksCarryMoreThanOne() {
        start("one", List.of(1), List.of(1), "");
        E2e.Iperf one = E2e.iperf(lab, 5);
        assertEquals(0, one.status(), one.output());
        stop();

        start("two", List.of(1, 2), List.of(1, 2), "");
        E2e.Iperf two = E2e.iperf(lab, 5);
        assertEquals(0, two.status(), two.output());
        stop();
        System.out.printf("RESULT one link %.1f Mbit/s, two links %.1f Mbit/s%n", one.receivedMbit(),
                two.receivedMbit());
        // Each link alone carries at most its 20 Mbit/s (one.receivedMbit measured it through the
        // tunnel); two must clearly exceed that.
        assertTrue(two.receivedMbit() > 1.25 * one.receivedMbit() && two.receivedMbit() > 20,
                "one link " + one.receivedMbit() + " Mbit/s, two links " + two.receivedMbit() + " Mbit/s");
    }

    @Test
    void aLinkCutDuringATransferDoesNotBreakIt() throws Exception {
        start("cut", List.of(1, 2), List.of(1, 2), "");
        CompletableFuture<E2e.Iperf> transfer = CompletableFuture.supplyAsync(() -> E2e.iperf(lab, 20));
        try {
            // Let the transfer use both links first; there is no event to wait on inside iperf3.
            Launcher.pause(5_000);
            lab.cut(1);
            E2e.Iperf r = transfer.get(90, TimeUnit.SECONDS);
            assertEquals(0, r.status(), "the transfer finished without a reset: " + r.output());
            System.out.printf("RESULT 20 s with a cut after 5 s: %.1f Mbit/s%n", r.receivedMbit());
            // At least a quarter of what link 2 alone carries in 20 s: the transfer went on after the cut.
            assertTrue(r.receivedBytes() > 20L * 20_000_000 / 8 / 4, "received " + r.receivedBytes() + " bytes");
            // Cut while carrying data, the link turns suspect first, then down.
            assertTrue(client.log().matches("(?s).*link l1: (up|suspect) -> down.*"), client.log());
            E2e.waitUntil(() -> client.log().contains("failover of link l1: silent at "), 10,
                    "the flight recorder's line; log:\n" + client.log());
        } finally {
            lab.heal(1);
        }
        stop();
    }

    @Test
    void sighupAddsAThirdLinkUnderLoad() throws Exception {
        Path clientStatus = E2e.statusScript(lab, "hup-client-status");
        String hooks = "status.command=" + clientStatus + "\n";
        start("hup", List.of(1, 2), List.of(1, 2), hooks);
        Path calls = E2e.calls(lab, "hup-client-status");
        String c3 = lab.dev(3, 'c');
        long before = lab.counter('c', c3, "tx_bytes");
        CompletableFuture<E2e.Iperf> transfer = CompletableFuture.supplyAsync(() -> E2e.iperf(lab, 12));

        // Let the transfer run on two links first; there is no event to wait on inside iperf3.
        Launcher.pause(3_000);
        E2e.server(lab, "server-hup.properties", key, List.of(1, 2, 3), E2e.FAST);
        server.signal("HUP");
        E2e.waitUntil(() -> !lab.exec('s', 10, "ss", "-Hlun", "sport = :5083").output().isBlank(), 15,
                "the server's new link listening; log:\n" + server.log());
        E2e.client(lab, "client-hup.properties", key, List.of(1, 2, 3), E2e.FAST + hooks);
        client.signal("HUP");
        E2e.waitUntil(() -> E2e.callArgs(calls).contains("mlvpn-e2e rtun_up l3"), 20,
                "link l3 up after the reload; log:\n" + client.log());

        E2e.Iperf r = transfer.get(90, TimeUnit.SECONDS);
        assertEquals(0, r.status(), "the running transfer survived the reload: " + r.output());
        System.out.printf("RESULT 12 s, third link added after 3 s: %.1f Mbit/s%n", r.receivedMbit());
        long carried = lab.counter('c', c3, "tx_bytes") - before;
        assertTrue(carried > 1_000_000, "the new link carried the transfer's data: " + carried + " bytes");
        assertTrue(client.log().contains("reloaded"), client.log());
        assertTrue(client.alive() && server.alive());
        List<String> args = E2e.callArgs(calls);
        // l1 and l2 come up in either order; tuntap_up follows the first; l3 comes last.
        assertEquals(4, args.size(), "calls: " + args);
        assertEquals(java.util.Set.of("mlvpn-e2e rtun_up l1", "mlvpn-e2e rtun_up l2"),
                java.util.Set.of(args.get(0), args.get(2)), "calls: " + args);
        assertEquals("mlvpn-e2e tuntap_up", args.get(1), "calls: " + args);
        assertEquals("mlvpn-e2e rtun_up l3", args.get(3), "calls: " + args);
        stop();
    }
}
