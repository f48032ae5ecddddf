package io.mlvpn.launcher.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.LinkConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The control endpoint of a running in-process tunnel: JSON, metrics, errors, the unix socket. */
class ControlServerTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private static final int PACKETS = 200;

    @TempDir
    static Path dir;
    private static TunnelPair pair;
    private static ControlServer control;
    private static InetSocketAddress http;
    private static final FakeActions actions = new FakeActions();

    /** Records what it is asked. */
    static final class FakeActions implements ControlActions {
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized ActionResult reload() {
            calls.add("reload");
            return new ActionResult(ActionResult.Outcome.DONE, "reloaded", List.of("cipher: changes only at restart"));
        }

        @Override
        public synchronized ActionResult setAdministrativelyDown(String link, boolean down) {
            calls.add(link + (down ? " down" : " up"));
            return link.equals("a") || link.equals("b") ? ActionResult.done("ok")
                    : new ActionResult(ActionResult.Outcome.UNKNOWN_LINK, "no link " + link, List.of());
        }

        @Override
        public List<LinkConfig> administrativelyDown() {
            return List.of();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        pair = new TunnelPair("a", "b");
        pair.awaitUp("a", "b");
        assertEquals(PACKETS, pair.send(PACKETS));
        ControlSettings settings = ControlSettings.of(ControlSettings.parseHttp("127.0.0.1:0"),
                dir.resolve("run/ctl.sock"), ControlToken.of("control.token", TOKEN));
        control = ControlServer.start(settings, pair.client, "cli0", actions, "test", "9.9.9",
                LoggerFactory.getLogger("test"));
        http = control.httpAddress().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (control != null) {
            control.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void statusJsonMatchesTheTunnelsStatistics() throws Exception {
        TunnelStats before = pair.client.stats();
        Http r = Http.get(http, "/status");
        TunnelStats after = pair.client.stats();
        assertEquals(200, r.status, r.body);
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers);
        Map<String, Object> s = JsonParser.parseObject(r.body);
        assertEquals("test", s.get("name"));
        assertEquals("9.9.9", s.get("version"));
        assertEquals("client", s.get("mode"));
        assertEquals("up", s.get("state"));
        assertEquals(pair.client.config().cipher().configName(), s.get("cipher"));
        assertEquals("cli0", s.get("device"));
        assertEquals((long) pair.client.mtu(), s.get("mtu"));
        @SuppressWarnings("unchecked")
        Map<String, Object> dev = (Map<String, Object>) s.get("device_counters");
        // No traffic flows now: the device counters stand still.
        assertEquals(before.devicePacketsIn(), dev.get("packets_in"));
        assertEquals((long) PACKETS, dev.get("packets_in"));
        assertEquals(after.deviceBytesIn(), dev.get("bytes_in"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> links = (List<Map<String, Object>>) s.get("links");
        assertEquals(List.of("a", "b"), links.stream().map(l -> l.get("name")).toList());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> l = links.get(i);
            LinkStats b = before.links().get(i);
            LinkStats a = after.links().get(i);
            assertEquals("up", l.get("state"));
            assertEquals(a.stateReason(), l.get("reason"));
            assertEquals("127.0.0.1:0", l.get("local"));
            assertTrue(((String) l.get("remote")).startsWith("127.0.0.1:"), l.toString());
            assertEquals(50_000_000L, l.get("bandwidth_bps"));
            assertEquals(a.stateChangedMillis(), l.get("state_changed_epoch_ms"));
            // Keepalives keep counting between the snapshots: the answer lies between them.
            long tx = (Long) l.get("tx_packets");
            assertTrue(tx >= b.txPackets() && tx <= a.txPackets(), tx + " in " + b.txPackets() + ".." + a.txPackets());
            long rxBytes = (Long) l.get("rx_bytes");
            assertTrue(rxBytes >= b.rxBytes() && rxBytes <= a.rxBytes());
            assertNotNull(l.get("srtt_ms"));
            assertTrue(l.containsKey("drops") && l.containsKey("rescued_packets") && l.containsKey("loss_ratio"));
            double minRttMs = ((Number) l.get("min_rtt_ms")).doubleValue();
            assertTrue(minRttMs >= 0 && minRttMs <= a.srttMicros() / 1000.0 + 1000, "min rtt " + minRttMs);
            // -1 exactly when the link's transport cannot count kernel drops.
            long drops = (Long) l.get("receive_buffer_drops");
            assertEquals(a.receiveBufferDrops() < 0, drops < 0, "receive_buffer_drops " + drops);
        }
        long sentOnLinks = links.stream().mapToLong(l -> (Long) l.get("tx_packets")).sum();
        assertTrue(sentOnLinks >= PACKETS, "data went out on the links: " + sentOnLinks);
        assertTrue(s.get("failovers") instanceof List);
    }

    /** Waits (up to 10 s) until every client link has taken a round-trip sample. */
    private static void awaitRttSamplesOnEveryLink() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!pair.client.stats().links().stream()
                .allMatch(l -> l.rttSampleCounts().stream().mapToLong(Long::longValue).sum() > 0)) {
            assertTrue(System.nanoTime() < deadline, "no RTT sample on some link: " + pair.client.stats());
            // Samples come with keepalives on other threads; there is nothing to block on.
            Thread.sleep(10);
        }
    }

    @Test
    void metricsParseAndMatchTheTunnelsStatistics() throws Exception {
        awaitRttSamplesOnEveryLink();
        TunnelStats before = pair.client.stats();
        Http r = Http.get(http, "/metrics");
        TunnelStats after = pair.client.stats();
        assertEquals(200, r.status, r.body);
        assertEquals(MetricsText.CONTENT_TYPE, r.header("Content-Type"));
        PrometheusText m = PrometheusText.parse(r.body);
        assertEquals(PACKETS, m.value("mlvpn_device_packets_total{direction=\"in\"}"));
        assertEquals(after.deviceBytesIn(), (long) m.value("mlvpn_device_bytes_total{direction=\"in\"}"));
        assertEquals(1, m.value("mlvpn_up"));
        assertEquals("histogram", m.types.get("mlvpn_link_rtt_seconds"));
        assertEquals("histogram", m.types.get("mlvpn_reorder_delay_seconds"));
        assertEquals(m.value("mlvpn_reorder_delay_seconds_count"), m.value("mlvpn_reorder_delay_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(m.value("mlvpn_reorder_delay_seconds_bucket{le=\"0.001\"}")
                <= m.value("mlvpn_reorder_delay_seconds_bucket{le=\"1\"}"));
        for (int i = 0; i < 2; i++) {
            String link = after.links().get(i).name();
            long txBytes = (long) m.value("mlvpn_link_bytes_total{link=\"" + link + "\",direction=\"tx\"}");
            assertTrue(txBytes >= before.links().get(i).txBytes() && txBytes <= after.links().get(i).txBytes());
            assertEquals(1, m.value("mlvpn_link_state{link=\"" + link + "\",state=\"up\"}"));
            String drops = "mlvpn_link_receive_buffer_drops_total{link=\"" + link + "\"}";
            assertEquals(after.links().get(i).receiveBufferDrops() >= 0, m.samples.containsKey(drops), drops);
            assertTrue(m.value("mlvpn_link_min_rtt_seconds{link=\"" + link + "\"}") >= 0);
            assertEquals(0, m.value("mlvpn_link_state{link=\"" + link + "\",state=\"down\"}"));
            assertEquals(after.links().get(i).srttMicros() > 0 ? 1 : 0,
                    Math.signum(m.value("mlvpn_link_srtt_seconds{link=\"" + link + "\"}")), link);
            double count = m.value("mlvpn_link_rtt_seconds_count{link=\"" + link + "\"}");
            assertTrue(count >= 1, "RTT histogram sampled");
            assertEquals(count, m.value("mlvpn_link_rtt_seconds_bucket{link=\"" + link + "\",le=\"+Inf\"}"));
            double previous = 0;
            for (double bound : Histogram.RTT_BOUNDS_SECONDS) {
                double c = m.value("mlvpn_link_rtt_seconds_bucket{link=\"" + link + "\",le=\""
                        + MetricsText.number(bound) + "\"}");
                assertTrue(c >= previous && c <= count, "cumulative buckets");
                previous = c;
            }
        }
    }

    @Test
    void theDashboardIsServedWithItsScriptAndStyle() throws Exception {
        Http page = Http.get(http, "/");
        assertEquals(200, page.status);
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"));
        assertTrue(page.body.contains("<script src=\"/dashboard.js\""));
        assertFalse(page.body.contains("http://") || page.body.contains("https://"), "no external resource");
        assertEquals(200, Http.get(http, "/dashboard.js").status);
        assertEquals(200, Http.get(http, "/dashboard.css").status);
    }

    @Test
    void badRequestsGetAClearStatusAndTheTunnelRunsOn() throws Exception {
        int calls = actions.calls.size();
        Http wrongPath = Http.get(http, "/nothing");
        assertEquals(404, wrongPath.status);
        assertTrue(JsonParser.parseObject(wrongPath.body).get("error").toString().contains("/nothing"));
        assertEquals(405, Http.post(http, "/status", null).status);
        assertEquals(405, Http.get(http, "/reload").status);
        Http huge = Http.raw(http, "POST /reload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\n\r\n" + "x".repeat(1000));
        assertEquals(413, huge.status);
        Http chunkedHuge = Http.raw(http, "POST /reload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n2000\r\n" + "y".repeat(0x2000) + "\r\n0\r\n\r\n");
        assertEquals(413, chunkedHuge.status);
        Http rebinding = Http.raw(http, "GET /status HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n");
        assertEquals(403, rebinding.status);
        Http garbage = Http.raw(http, "NONSENSE\r\n\r\n");
        assertTrue(garbage.status == 400 || garbage.status == -1, "refused: " + garbage);
        assertEquals(calls, actions.calls.size(), "nothing was done: " + actions.calls);
        assertEquals(TunnelState.UP, pair.client.state());
        assertEquals(200, Http.get(http, "/status").status);
    }

    @Test
    void actionsOverHttpNeedTheToken() throws Exception {
        Http missing = Http.post(http, "/reload", null);
        assertEquals(401, missing.status);
        assertEquals("Bearer realm=\"mlvpn\"", missing.header("WWW-Authenticate"));
        assertEquals(403, Http.post(http, "/reload", "Bearer wrong-token-wrong-token").status);
        assertEquals(401, Http.post(http, "/links/a/down", "Basic " + TOKEN).status);
        int before = actions.calls.size();
        assertEquals(before, actions.calls.size(), "refused requests do nothing");

        Http reload = Http.post(http, "/reload", "Bearer " + TOKEN);
        assertEquals(200, reload.status, reload.body);
        assertEquals(List.of("cipher: changes only at restart"), JsonParser.parseObject(reload.body).get("not_applied"));
        assertEquals(200, Http.post(http, "/links/b/down", "Bearer " + TOKEN).status);
        assertEquals(404, Http.post(http, "/links/zz/up", "Bearer " + TOKEN).status);
        assertEquals(404, Http.post(http, "/links/b/sideways", "Bearer " + TOKEN).status);
        assertTrue(actions.calls.containsAll(List.of("reload", "b down", "zz up")), actions.calls.toString());
    }

    @Test
    void withoutATokenHttpIsReadOnly() throws Exception {
        ControlSettings s = ControlSettings.of(ControlSettings.parseHttp("localhost:0"), null, null);
        try (ControlServer c = ControlServer.start(s, pair.client, "cli0", actions, "ro", "1", LoggerFactory.getLogger("ro"))) {
            InetSocketAddress a = c.httpAddress().orElseThrow();
            Http r = Http.post(a, "/reload", "Bearer " + TOKEN);
            assertEquals(403, r.status);
            assertTrue(r.body.contains("control.token"), r.body);
            assertEquals(200, Http.get(a, "/status").status);
        }
    }

    @Test
    void aSlowClientIsCutOffAndDoesNotBlockOthers() throws Exception {
        try (Socket slow = new Socket()) {
            slow.connect(http, 5_000);
            slow.getOutputStream().write("GET /sta".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            // Others are served meanwhile.
            assertEquals(200, Http.get(http, "/status").status);
            assertEquals(200, Http.get(http, "/metrics").status);
            slow.setSoTimeout((HttpEndpoint.MAX_REQUEST_SECONDS + 10) * 1000);
            InputStream in = slow.getInputStream();
            long start = System.nanoTime();
            int b;
            try {
                b = in.read();
                while (b >= 0) {
                    b = in.read();
                }
            } catch (java.net.SocketException e) {
                b = -1; // reset by the server: cut off as well
            }
            assertEquals(-1, b, "the server closed the slow connection");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(HttpEndpoint.MAX_REQUEST_SECONDS + 9).toNanos());
        }
        assertEquals(TunnelState.UP, pair.client.state());
    }

    private static String unix(String line) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(control.unixPath().orElseThrow()))) {
            c.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            while (c.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    break;
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theUnixSocketAnswersCommandsAndIsPrivate() throws Exception {
        Path sock = control.unixPath().orElseThrow();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())));
        Map<String, Object> status = JsonParser.parseObject(unix("status\n"));
        assertEquals("up", status.get("state"));
        assertEquals(2, ((List<?>) JsonParser.parseObject(unix("LINKS\r\n")).get("links")).size());
        PrometheusText.parse(unix("/metrics\n"));
        assertTrue(JsonParser.parseObject(unix("frobnicate\n")).get("error").toString().contains("unknown command"));
        assertTrue(JsonParser.parseObject(unix("x".repeat(5000))).get("error").toString().contains("longer"));
        Map<String, Object> down = JsonParser.parseObject(unix("link a down\n"));
        assertEquals(Boolean.TRUE, down.get("ok"));
        assertEquals("unknown_link", JsonParser.parseObject(unix("link q up\n")).get("outcome"));
        assertTrue(actions.calls.contains("a down"));
        assertEquals("", unix(""), "an empty connection gets nothing");
    }

    @Test
    void aStaleSocketIsReplacedAndALiveOneRefused() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (var s = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
            ControlSettings live = ControlSettings.of(null, stale, null);
            IOException e = assertThrows(IOException.class, () -> ControlServer.start(live, pair.client, "x",
                    actions, "live", "1", LoggerFactory.getLogger("live")));
            assertTrue(e.getMessage().contains("another process is listening"), e.getMessage());
        }
        // The closed server left its file behind: stale now.
        assertTrue(Files.exists(stale));
        try (ControlServer c = ControlServer.start(ControlSettings.of(null, stale, null), pair.client, "x", actions,
                "stale", "1", LoggerFactory.getLogger("stale"))) {
            assertEquals(stale, c.unixPath().orElseThrow());
        }
        assertFalse(Files.exists(stale), "removed at close");
        Path file = Files.writeString(dir.resolve("regular"), "keep");
        assertThrows(IOException.class, () -> ControlServer.start(ControlSettings.of(null, file, null), pair.client,
                "x", actions, "f", "1", LoggerFactory.getLogger("f")));
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void otherUsersCannotUseTheSocket() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv"))
                && "root".equals(System.getProperty("user.name")), "needs root and setpriv to act as another user");
        try (ControlServer own = ControlServer.start(ControlSettings.of(null, dir.resolve("open/ctl.sock"), null),
                pair.client, "x", actions, "own", "1", LoggerFactory.getLogger("own"))) {
            Path sock = own.unixPath().orElseThrow();
            // Even with every directory open to all, the socket's mode and the peer check keep nobody out.
            // Only the test's own directories: the shared temporary directory above them keeps its mode.
            var sharedTmpMode = Files.getPosixFilePermissions(dir.getParent());
            for (Path d = sock.getParent(); d != null && d.startsWith(dir); d = d.getParent()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            assertEquals(sharedTmpMode, Files.getPosixFilePermissions(dir.getParent()), "the shared tmp is untouched");
            assertTrue(probeAsNobody(sock).contains("refused:"), "connect refused");
            // With the socket's mode opened too, the peer-credential check still refuses.
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            String out = probeAsNobody(sock);
            assertTrue(out.contains("not allowed"), out);
        }
    }

    private static String probeAsNobody(Path sock) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), UnixProbe.class.getName(), sock.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        return out;
    }

    @Test
    void configValidation() throws ConfigException {
        ConfigException notLoopback = assertThrows(ConfigException.class, () -> ControlSettings.parseHttp("0.0.0.0:80"));
        assertEquals("control.http", notLoopback.key());
        assertEquals("control.http", assertThrows(ConfigException.class,
                () -> ControlSettings.parseHttp("example.com:80")).key());
        assertEquals("control.http", assertThrows(ConfigException.class,
                () -> ControlSettings.parseHttp("127.0.0.1:70000")).key());
        assertEquals("control.http", assertThrows(ConfigException.class, () -> ControlSettings.parseHttp("::1:80")).key());
        assertEquals(6, ControlSettings.parseHttp("[::1]:6").getPort());
        assertTrue(ControlSettings.parseHttp("127.0.0.2:1").getAddress().isLoopbackAddress());
        ConfigException shortToken = assertThrows(ConfigException.class, () -> ControlToken.of("control.token", "short"));
        assertEquals("control.token", shortToken.key());
        assertFalse(shortToken.getMessage().contains("short\""), "the token is never quoted");
        assertEquals("ControlToken[redacted]", assertDoesNotThrowToken().toString());
        assertFalse(assertDoesNotThrowToken().matches("0123456789abcdef-tokeN"));
        assertTrue(HttpEndpoint.loopbackHost("[::1]:5080") && HttpEndpoint.loopbackHost("localhost")
                && !HttpEndpoint.loopbackHost("127.0.0.1.evil.example") && !HttpEndpoint.loopbackHost("[::2]"));
    }

    private static ControlToken assertDoesNotThrowToken() {
        try {
            return ControlToken.of("control.token", TOKEN);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }
}
