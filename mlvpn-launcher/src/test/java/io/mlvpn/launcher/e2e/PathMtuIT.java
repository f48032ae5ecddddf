package io.mlvpn.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A link whose path MTU drops below the configured one during a TCP transfer (issue 13): the
 * server's namespace starts dropping link 1's datagrams above 1400 bytes of UDP payload without a
 * word, as a PPPoE or LTE hop whose ICMP errors are lost does. The client finds the smaller path
 * MTU, the tunnel MTU follows, and the transfer and full-size pings at the new MTU go on.
 */
class PathMtuIT {
    private static final Pattern CHANGE = Pattern.compile("link l1: path MTU (\\d+) bytes .* tunnel MTU now (\\d+)");
    private static Lab lab;
    private static Path key;
    private Launcher server;
    private Launcher client;

    @BeforeAll
    static void up() {
        Optional<String> why = Lab.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        lab = Lab.up("itpmtu" + ProcessHandle.current().pid(), 2, "20mbit");
        key = E2e.key(lab, "pmtu.key");
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

    @Test
    void aPathMtuDropDuringATransferIsFoundAndFollowed() throws Exception {
        server = Launcher.start(lab, 's', "server-pmtu", E2e.server(lab, "server-pmtu.properties", key, List.of(1, 2),
                E2e.FAST));
        client = Launcher.start(lab, 'c', "client-pmtu", E2e.client(lab, "client-pmtu.properties", key, List.of(1, 2),
                E2e.FAST));
        E2e.awaitTunnel(lab, 30, server, client);
        CompletableFuture<E2e.Iperf> transfer = CompletableFuture.supplyAsync(() -> E2e.iperf(lab, 25));
        // Let the transfer use both links at full size first; there is no event to wait on inside iperf3.
        Launcher.pause(3_000);
        // IPv4 packets above 1428 bytes (UDP payload above 1400) arriving on link 1 vanish.
        Lab.Result rule = lab.exec('s', 10, "nft", "add", "rule", "inet", "mlvpnlab", "input",
                "iifname", lab.dev(1, 's'), "ip", "length", ">", "1428", "drop");
        assertTrue(rule.ok(), rule.output());
        // First the size in use stops getting through and the link falls back to the base size,
        // then the search finds the path's real size.
        E2e.waitUntil(() -> lastChange(client.log())[0] > 1300, 60,
                "the client's path MTU lines for l1 ending in the search's result; log:\n" + client.log());
        int[] last = lastChange(client.log());
        int pathMtu = last[0];
        int tunnelMtu = last[1];
        assertTrue(pathMtu <= 1400 && pathMtu > 1392, "path MTU found: " + pathMtu);
        assertEquals(pathMtu - 32, tunnelMtu, "the tunnel MTU follows the smaller path");

        E2e.Iperf r = transfer.get(120, TimeUnit.SECONDS);
        assertEquals(0, r.status(), "the transfer finished without a reset: " + r.output());
        System.out.printf("RESULT 25 s with link 1's path MTU cut to 1428 after 3 s: %.1f Mbit/s, path MTU %d%n",
                r.receivedMbit(), pathMtu);
        // At least a quarter of what one link carries in 25 s: the transfer went on after the drop.
        assertTrue(r.receivedBytes() > 25L * 20_000_000 / 8 / 4, "received " + r.receivedBytes() + " bytes");
        // Pings of the full new size, which do not fragment, cross either link.
        Lab.Result ping = lab.exec('c', 30, "ping", "-c", "20", "-i", "0.05", "-W", "2", "-M", "do", "-s",
                Integer.toString(tunnelMtu - 28), E2e.TUN_SERVER);
        assertTrue(ping.output().contains(" 0% packet loss"), ping.output());
        assertEquals(0, client.terminate(), client.log());
        assertEquals(0, server.terminate(), server.log());
    }

    /** The path MTU and tunnel MTU of the last change of l1 in the log, or {0, 0}. */
    private static int[] lastChange(String log) {
        Matcher m = CHANGE.matcher(log);
        int[] last = {0, 0};
        while (m.find()) {
            last = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        }
        return last;
    }
}
