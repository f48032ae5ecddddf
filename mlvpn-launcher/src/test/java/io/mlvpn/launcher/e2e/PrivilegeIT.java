package io.mlvpn.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher started as root with {@code user = nobody}: it opens the device and binds its
 * sockets, then every thread runs as nobody, the tunnel works, only CAP_NET_ADMIN is left, and
 * the status command (as root) reads it through the control socket given to nobody.
 */
class PrivilegeIT {
    /** CAP_NET_ADMIN is capability 12. */
    private static final long CAP_NET_ADMIN_MASK = 1L << 12;

    private static Lab lab;
    private Launcher server;
    private Launcher client;

    @BeforeAll
    static void up() {
        Optional<String> why = Lab.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        lab = Lab.up("itpriv" + ProcessHandle.current().pid(), 1, "0");
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
    void theServerDropsToNobodyKeepingOnlyNetAdmin() throws IOException {
        Path key = E2e.key(lab, "priv.key");
        Path socket = lab.workDir().resolve("ctl/server.sock");
        server = Launcher.start(lab, 's', "server", E2e.server(lab, "server.properties", key, List.of(1),
                E2e.FAST + "user=nobody\ncontrol.unix=" + socket + "\n"));
        client = Launcher.start(lab, 'c', "client", E2e.client(lab, "client.properties", key, List.of(1), E2e.FAST));
        E2e.awaitTunnel(lab, 30, server, client);
        assertTrue(server.log().contains("now running as user nobody (uid 65534) with CAP_NET_ADMIN only"),
                server.log());

        long pid = server.javaPid();
        long withNetAdmin = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                Map<String, String> st = status(task.resolve("status"));
                if (st.isEmpty()) {
                    continue; // the thread ended meanwhile
                }
                String name = st.get("Name");
                assertEquals("65534\t65534\t65534\t65534", st.get("Uid"), "thread " + name);
                assertEquals("65534\t65534\t65534\t65534", st.get("Gid"), "thread " + name);
                long eff = Long.parseLong(st.get("CapEff"), 16);
                long prm = Long.parseLong(st.get("CapPrm"), 16);
                assertEquals(0, eff & ~CAP_NET_ADMIN_MASK, "thread " + name + " holds only CAP_NET_ADMIN");
                assertEquals(0, prm & ~CAP_NET_ADMIN_MASK, "thread " + name + " may regain nothing else");
                if (eff == CAP_NET_ADMIN_MASK) {
                    withNetAdmin++;
                }
            }
        }
        assertTrue(withNetAdmin >= 1, "the main thread keeps CAP_NET_ADMIN");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("nobody", Files.getOwner(socket).getName(), "the control socket was given to the user");

        Lab.Result status = Lab.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Lab.jar().toString(), "status", "--socket", socket.toString()), Map.of(), 60);
        assertEquals(0, status.status(), status.output());
        assertTrue(status.output().startsWith("tunnel up · server"), status.output());
        assertTrue(status.output().lines().anyMatch(l -> l.matches("l1 +up .*")), status.output());
        assertTrue(E2e.ping(lab, E2e.TUN_SERVER), "the tunnel still carries traffic");
        assertEquals(0, server.terminate(), server.log());
        assertTrue(Files.notExists(socket), "the user removed its socket at the stop: " + server.log());
    }

    private static Map<String, String> status(Path file) {
        try {
            Map<String, String> m = new java.util.HashMap<>();
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    m.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
            return m;
        } catch (IOException e) {
            return Map.of();
        }
    }
}
