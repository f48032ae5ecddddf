package io.mlvpn.launcher.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium}, installed by {@code .ci/run}):
 * it loads without script errors, lists every link, and its charts change while traffic flows.
 */
class DashboardTest {
    @TempDir
    Path dir;

    private static Path chromium() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @Test
    void thePageShowsEveryLinkAndLiveCharts() throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "skipped: no chromium (apt-get install chromium; .ci/run does)");
        try (TunnelPair pair = new TunnelPair("dsl", "lte", "fibre")) {
            pair.awaitUp("dsl", "lte", "fibre");
            ControlSettings settings = ControlSettings.of(ControlSettings.parseHttp("127.0.0.1:0"), null, null);
            try (ControlServer control = ControlServer.start(settings, pair.client, "cli0", ControlActions.NONE,
                    "dash", "1.0", LoggerFactory.getLogger("dash"))) {
                AtomicBoolean running = new AtomicBoolean(true);
                Thread traffic = new Thread(() -> flow(pair, running), "dashboard-traffic");
                traffic.start();
                String dom;
                String log;
                try {
                    InetSocketAddress a = control.httpAddress().orElseThrow();
                    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                            "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                            "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0",
                            "--virtual-time-budget=8000", "--dump-dom",
                            "http://127.0.0.1:" + a.getPort() + "/"));
                    Path err = dir.resolve("chromium.log");
                    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                    dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (!p.waitFor(90, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new AssertionError("chromium did not finish");
                    }
                    log = Files.readString(err);
                } finally {
                    running.set(false);
                    traffic.join(10_000);
                }
                assertTrue(dom.contains("<table id=\"links\">"), "the page loaded:\n" + dom + "\n" + log);
                assertEquals("0", attribute(dom, "body", "data-errors"), "no script error; chromium log:\n" + log);
                for (String line : log.split("\n")) {
                    assertTrue(!line.contains(":CONSOLE(") && !line.contains("Uncaught"), "console message: " + line);
                }
                for (String link : List.of("dsl", "lte", "fibre")) {
                    assertTrue(dom.contains("<tr data-link=\"" + link + "\"><td>" + link + "</td><td class=\"state state-up\">up</td>"),
                            link + " listed as up:\n" + dom);
                }
                int samples = Integer.parseInt(attribute(dom, "body", "data-samples"));
                assertTrue(samples >= 3, "polled several times: " + samples);
                assertTrue(Integer.parseInt(attribute(dom, "canvas id=\"chart-throughput\"", "data-points")) >= 3 * 3);
                String changes = attribute(dom, "canvas id=\"chart-throughput\"", "data-changes");
                assertTrue(changes != null && Integer.parseInt(changes) >= 1, "the throughput chart changed:\n" + dom);
                assertTrue(dom.contains("tunnel up"), dom);
            }
        }
    }

    /** Packets through the tunnel until told to stop, the server's device drained. */
    private static void flow(TunnelPair pair, AtomicBoolean running) {
        byte[] p = new byte[1000];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        byte[] buf = new byte[2048];
        while (running.get()) {
            pair.clientDevice.inject(p);
            while (pair.serverDevice.poll(buf) >= 0) {
                Thread.onSpinWait();
            }
            try {
                // About 4 Mbit/s: enough to see, little for a shared machine.
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The value of {@code name} in the first tag starting with {@code tagStart}, or null. */
    private static String attribute(String dom, String tagStart, String name) {
        int tag = dom.indexOf("<" + tagStart);
        if (tag < 0) {
            return null;
        }
        int end = dom.indexOf('>', tag);
        Matcher m = Pattern.compile(Pattern.quote(name) + "=\"([^\"]*)\"").matcher(dom.substring(tag, end));
        return m.find() ? m.group(1) : null;
    }
}
