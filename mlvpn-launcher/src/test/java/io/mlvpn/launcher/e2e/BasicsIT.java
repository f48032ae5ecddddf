package io.mlvpn.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher jar end to end on two unlimited links: ping, the status command's calls, a wrong
 * key, {@code bind.interface}, and the orderly stop.
 */
class BasicsIT {
    private static Lab lab;
    private Launcher server;
    private Launcher client;

    @BeforeAll
    static void up() {
        Optional<String> why = Lab.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        lab = Lab.up("itbasic" + ProcessHandle.current().pid(), 2, "0");
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
    void pingCrossesTheTunnelAndTheStatusCommandSeesEveryEventInOrder() {
        Path key = E2e.key(lab, "basic.key");
        String hooks = "status.command=" + E2e.statusScript(lab, "client-status") + "\nhook.ip4=" + E2e.TUN_CLIENT
                + "\nhook.ip4.gateway=" + E2e.TUN_SERVER + "\n";
        Path serverCalls = E2e.calls(lab, "server-status");
        String serverHooks = "status.command=" + E2e.statusScript(lab, "server-status") + "\n";
        server = Launcher.start(lab, 's', "server", E2e.server(lab, "server.properties", key, List.of(1),
                E2e.FAST + serverHooks));
        client = Launcher.start(lab, 'c', "client", E2e.client(lab, "client.properties", key, List.of(1),
                E2e.FAST + hooks));
        E2e.awaitTunnel(lab, 30, server, client);
        Lab.Result ping = lab.exec('c', 20, "ping", "-n", "-q", "-c", "5", "-i", "0.2", "-W", "2", E2e.TUN_SERVER);
        assertTrue(ping.ok(), ping.output());
        assertTrue(ping.output().contains("5 received"), ping.output());

        Path clientCalls = E2e.calls(lab, "client-status");
        E2e.waitUntil(() -> E2e.callArgs(clientCalls).size() >= 2, 10, "client's up calls");
        assertEquals(0, client.terminate(), client.log());
        List<String> lines = E2e.callLines(clientCalls);
        assertEquals(List.of("mlvpn-e2e rtun_up l1", "mlvpn-e2e tuntap_up", "mlvpn-e2e rtun_down l1",
                "mlvpn-e2e tuntap_down"), E2e.callArgs(clientCalls), String.join("\n", lines));
        for (String line : lines) {
            assertTrue(line.contains("|DEVICE=mlvpn-e2e MTU=1440 IP4=10.78.0.1 IP4_GATEWAY=10.78.0.2 PWD=/ dev=present"),
                    "hook environment, working directory, and the device still there for the down calls: " + line);
        }
        assertFalse(lab.exec('c', 10, "ip", "link", "show", E2e.DEVICE).ok(), "the client's device is gone");
        assertTrue(client.log().contains("stopping (SIGTERM)"), client.log());

        // The server learns of the disconnect at once and runs its own down calls.
        E2e.waitUntil(() -> E2e.callArgs(serverCalls).size() >= 4, 10, "server's down calls; log:\n" + server.log());
        assertEquals(List.of("mlvpn-e2e rtun_up l1", "mlvpn-e2e tuntap_up", "mlvpn-e2e rtun_down l1",
                "mlvpn-e2e tuntap_down"), E2e.callArgs(serverCalls));
        assertTrue(server.alive(), "the server keeps running without its client");
        assertEquals(0, server.terminate(), server.log());
    }

    @Test
    void aWrongKeyGivesNoTunnelAndAClearLogLineNotACrash() {
        Path serverKey = E2e.key(lab, "right.key");
        Path clientKey = E2e.key(lab, "wrong.key");
        server = Launcher.start(lab, 's', "server-wrongkey", E2e.server(lab, "server-wk.properties", serverKey,
                List.of(1), E2e.FAST));
        client = Launcher.start(lab, 'c', "client-wrongkey", E2e.client(lab, "client-wk.properties", clientKey,
                List.of(1), E2e.FAST));
        E2e.waitUntil(() -> server.log().contains("failed authentication"), 30,
                "the server says why no link comes up; log:\n" + server.log());
        assertTrue(server.log().contains("do both ends use the same key"), server.log());
        E2e.waitUntil(() -> client.log().contains("no link up for"), 30, "the client reports the dead tunnel; log:\n"
                + client.log());
        assertFalse(E2e.ping(lab, E2e.TUN_SERVER), "no tunnel");
        assertTrue(server.alive() && client.alive(), "both keep running");
        assertEquals(0, client.terminate(), client.log());
        assertEquals(0, server.terminate(), server.log());
    }

    @Test
    void bindInterfaceKeepsALinkOnItsVeth() {
        // The server also answers on 10.77.99.2 (a loopback address). The client reaches it through
        // link 2 by routing, and through link 1 only by a worse route: a link bound to link 1's veth
        // must keep using link 1 even though routing prefers link 2.
        String c1 = lab.dev(1, 'c');
        String c2 = lab.dev(2, 'c');
        assertTrue(lab.exec('s', 10, "ip", "addr", "add", "10.77.99.2/32", "dev", "lo").ok());
        assertTrue(lab.exec('c', 10, "ip", "route", "add", "10.77.99.2/32", "via", lab.addr(2, 's'), "dev", c2).ok());
        assertTrue(lab.exec('c', 10, "ip", "route", "add", "10.77.99.2/32", "via", lab.addr(1, 's'), "dev", c1,
                "metric", "100").ok());
        // Answers come back on link 1 from an address routed via link 2: no reverse-path filter.
        lab.exec('c', 10, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
        lab.exec('c', 10, "sysctl", "-qw", "net.ipv4.conf." + c1 + ".rp_filter=0");
        try {
            Path key = E2e.key(lab, "bind.key");
            server = Launcher.start(lab, 's', "server-bind", E2e.write(lab.workDir().resolve("server-bind.properties"),
                    "mode=server\nkey.file=" + key + "\ninterface.name=" + E2e.DEVICE + "\ninterface.address="
                            + E2e.TUN_SERVER + "/30\n" + E2e.FAST
                            + "link.b.bind.host=10.77.99.2\nlink.b.bind.port=5099\n"));
            client = Launcher.start(lab, 'c', "client-bind", E2e.write(lab.workDir().resolve("client-bind.properties"),
                    "mode=client\nkey.file=" + key + "\ninterface.name=" + E2e.DEVICE + "\ninterface.address="
                            + E2e.TUN_CLIENT + "/30\n" + E2e.FAST + "link.b.bind.interface=" + c1
                            + "\nlink.b.remote.host=10.77.99.2\nlink.b.remote.port=5099\n"));
            E2e.awaitTunnel(lab, 30, server, client);

            lab.cut(2);
            assertTrue(lab.exec('c', 20, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "2", E2e.TUN_SERVER).ok(),
                    "with link 2 cut the tunnel still works: its packets do not take the routed path");
            lab.heal(2);
            lab.cut(1);
            assertFalse(lab.exec('c', 20, "ping", "-n", "-q", "-c", "2", "-i", "0.2", "-W", "1", E2e.TUN_SERVER).ok(),
                    "with link 1 cut the tunnel stops: its packets were on link 1");
            lab.heal(1);
            assertEquals(0, client.terminate(), client.log());
            assertEquals(0, server.terminate(), server.log());
        } finally {
            lab.heal(1);
            lab.heal(2);
            lab.exec('c', 10, "ip", "route", "flush", "10.77.99.2/32");
            lab.exec('s', 10, "ip", "addr", "del", "10.77.99.2/32", "dev", "lo");
        }
    }
}
