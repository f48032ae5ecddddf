package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.system.ProcessServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dropping privileges end to end: a child JVM, started as root inside a test namespace, drops to
 * {@code nobody} and reports what each thread holds. Needs root, iproute2 and a {@code nobody}
 * account; skipped with the reason otherwise.
 */
class LinuxProcessServicesTest {

    @Test
    void unknownUserIsRefusedBeforeAnythingChanges() throws Exception {
        assumeTrue(TestSupport.isRoot(), "needs root (a non-root caller is refused before the user lookup)");
        ProcessServices services = new LinuxProcessServicesProvider().services();
        IOException e = assertThrows(IOException.class, () -> services.dropPrivileges("no-such-user-mlvt"));
        assertEquals("getpwnam_r(\"no-such-user-mlvt\"): no such user", e.getMessage());
        assertEquals(0, services.effectiveUserId());
    }

    @Test
    void dropsEveryThreadToTheUserAndKeepsNetAdminWhereDocumented() throws Exception {
        String cause = TestSupport.netnsUnavailableCause();
        assumeTrue(cause == null, () -> "privilege drop test skipped: " + cause);
        assumeTrue(TestSupport.exitCode("id", "-u", "nobody") == 0, "no 'nobody' account");
        String nobody = TestSupport.run("id", "-u", "nobody").trim();
        String nobodyGroup = TestSupport.run("id", "-g", "nobody").trim();

        Map<String, String> report;
        try (NetNs netns = NetNs.create()) {
            report = runChild(netns, "nobody");
        }
        assertEquals("true", report.get("done"), report.toString());
        assertEquals("ok", report.get("warmup.tun"), report.toString());
        assertEquals("ok", report.get("warmup.configure"), report.toString());
        assertEquals(nobody, report.get("euid"));
        assertEquals("dropPrivileges(\"nobody\"): needs root, effective uid is " + nobody, report.get("second.drop"));

        // Every thread, whenever it started, has nobody's ids: glibc applies set*id to all threads.
        int tasks = 0;
        for (Map.Entry<String, String> e : report.entrySet()) {
            if (e.getKey().endsWith(".uid")) {
                assertEquals(nobody + " " + nobody + " " + nobody + " " + nobody, e.getValue(), e.getKey());
                tasks++;
            }
            if (e.getKey().endsWith(".gid")) {
                assertEquals(nobodyGroup + " " + nobodyGroup + " " + nobodyGroup + " " + nobodyGroup, e.getValue(),
                        e.getKey());
            }
        }
        assertTrue(tasks > 5, "a JVM has many threads: " + tasks);

        // The calling thread and a thread it starts afterwards hold exactly CAP_NET_ADMIN, and can use it.
        assertEquals("0000000000001000", report.get("main.capEff"));
        assertEquals("0000000000001000", report.get("after.capEff"));
        assertEquals("ok", report.get("after.configure"), report.toString());
        assertEquals(Integer.toString(16 << 20), report.get("after.rcvbuf"));

        // A thread that existed before the drop ends with no capability (capset acts on one thread only).
        assertEquals("0000000000000000", report.get("before.capEff"));
        assertTrue(report.get("before.configure").startsWith("ioctl(SIOCSIFMTU, \"mlvtp0\", 1300): EPERM (errno 1)"),
                report.get("before.configure"));
    }

    private static Map<String, String> runChild(NetNs netns, String user) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns.name(), java, "-Xshare:off",
                "-cp", classPath, DropPrivilegesChild.class.getName(), user));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), text);
        Map<String, String> report = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                report.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertFalse(report.isEmpty(), text);
        return report;
    }
}
