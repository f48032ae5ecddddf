package io.mlvpn.launcher.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mlvpn.api.config.LinkConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * Fuzz targets: what a client of the control endpoints sends (docs/fuzzing.md). A live control
 * server over a running tunnel pair takes any bytes as one unix-socket request and as one HTTP
 * request; each gets an answer (a JSON or metrics line on the socket, unless it is empty; a well-formed HTTP status,
 * or the connection closed for a request the JDK's server cannot read) within seconds, and the
 * endpoints log nothing above debug, which is where they report an exception their code threw.
 * A third target feeds any text to {@link JsonParser}, which refuses bad JSON with an
 * {@link IllegalArgumentException} only.
 */
class ControlRequestFuzzTest {
    private static final int ANSWER_MILLIS = 10_000;
    private static final AtomicInteger WARNINGS = new AtomicInteger();
    private static volatile String lastWarning = "";
    private static Fixture fixture;

    /** The tunnel pair and its control server, started by the first input and closed after the last. */
    private static final class Fixture {
        final TunnelPair pair;
        final ControlServer control;
        final InetSocketAddress http;
        final Path unix;

        Fixture() throws Exception {
            pair = new TunnelPair("a", "b");
            Path dir = Files.createTempDirectory("mlvpn-control-fuzz");
            dir.toFile().deleteOnExit();
            unix = dir.resolve("ctl.sock");
            unix.toFile().deleteOnExit();
            ControlSettings settings = ControlSettings.of(ControlSettings.parseHttp("127.0.0.1:0"), unix,
                    ControlToken.of("control.token", "abcdefghijklmnop0123456789"));
            control = ControlServer.start(settings, pair.client, "cli0", new RefusingActions(), "fuzz", "0",
                    new WarningCounter());
            http = control.httpAddress().orElseThrow();
        }

        void close() throws IOException {
            control.close();
            pair.close();
        }
    }

    private static synchronized Fixture fixture() {
        if (fixture == null) {
            try {
                fixture = new Fixture();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the control server", e);
            }
        }
        return fixture;
    }

    @AfterAll
    static synchronized void closeFixture() throws IOException {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    @FuzzTest
    void anyJson(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            JsonParser.parse(text);
        } catch (IllegalArgumentException expected) {
            // Bad JSON is refused with this exception and nothing else.
        }
    }

    @FuzzTest
    void anyUnixRequest(byte[] input) throws IOException {
        Fixture f = fixture();
        int warningsBefore = WARNINGS.get();
        String answer;
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(f.unix))) {
            c.write(ByteBuffer.wrap(input));
            c.shutdownOutput();
            answer = readAll(null, c);
        }
        // A client that sends nothing and closes is closed on without an answer (UnixEndpoint.readLine).
        assertTrue(input.length == 0 ? answer.isEmpty() : answer.endsWith("\n") && answer.length() > 1,
                () -> "no answer line: " + answer);
        assertEquals(warningsBefore, WARNINGS.get(), () -> "the endpoint logged: " + lastWarning);
    }

    @FuzzTest
    void anyHttpRequest(byte[] input) throws IOException {
        Fixture f = fixture();
        // Jazzer's request-forgery detector flags any connection it was not told of, and forgets
        // what it was told between runs: these go to our own endpoint.
        BugDetectors.allowNetworkConnections((host, port) -> port == f.http.getPort());
        int warningsBefore = WARNINGS.get();
        String answer;
        try (Socket s = new Socket()) {
            s.connect(f.http, ANSWER_MILLIS);
            s.setSoTimeout(ANSWER_MILLIS);
            s.getOutputStream().write(input);
            s.shutdownOutput();
            answer = readAll(s.getInputStream(), null);
        }
        // The JDK's server closes a connection whose request it cannot read without an answer.
        assertTrue(answer.isEmpty() || answer.matches("(?s)HTTP/1\\.1 [1-5][0-9][0-9] .*"),
                () -> "not an HTTP answer: " + answer);
        assertEquals(warningsBefore, WARNINGS.get(), () -> "the endpoint logged: " + lastWarning);
    }

    /** Everything until the peer closes; fails when that takes longer than {@value #ANSWER_MILLIS} ms. */
    private static String readAll(InputStream in, SocketChannel c) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            if (in != null) {
                in.transferTo(all);
            } else {
                // A unix socket has no read timeout: wait on a selector instead.
                long deadline = System.nanoTime() + ANSWER_MILLIS * 1_000_000L;
                c.configureBlocking(false);
                try (Selector selector = Selector.open()) {
                    c.register(selector, SelectionKey.OP_READ);
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    int r;
                    while ((r = c.read(buf)) >= 0) {
                        all.write(buf.array(), 0, buf.position());
                        buf.clear();
                        long left = (deadline - System.nanoTime()) / 1_000_000L;
                        if (left <= 0) {
                            fail("no answer within " + ANSWER_MILLIS + " ms");
                        }
                        if (r == 0) {
                            selector.select(left);
                            selector.selectedKeys().clear();
                        }
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            fail("no answer within " + ANSWER_MILLIS + " ms");
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** Actions that change nothing: the fuzzer may find the commands, not alter the tunnel. */
    private static final class RefusingActions implements ControlActions {
        @Override
        public ActionResult reload() {
            return ActionResult.refused("fuzzing");
        }

        @Override
        public ActionResult setAdministrativelyDown(String link, boolean down) {
            return new ActionResult(ActionResult.Outcome.UNKNOWN_LINK, "fuzzing", List.of());
        }

        @Override
        public List<LinkConfig> administrativelyDown() {
            return List.of();
        }
    }

    /** Counts what the endpoints log at info and above (warnings carry their exceptions). */
    private static final class WarningCounter extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        WarningCounter() {
            this.name = "control-fuzz";
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] args,
                Throwable t) {
            lastWarning = level + " " + message + " " + java.util.Arrays.toString(args);
            WARNINGS.incrementAndGet();
        }
    }
}
