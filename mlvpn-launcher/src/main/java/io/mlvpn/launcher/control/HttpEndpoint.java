package io.mlvpn.launcher.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The HTTP side of the control endpoint, on the JDK's built-in server bound to a loopback address.
 *
 * <pre>
 * GET  /                     the dashboard (also /dashboard.js, /dashboard.css)
 * GET  /status               JSON status
 * GET  /links                JSON links
 * GET  /metrics              Prometheus text
 * POST /reload               reload the configuration          (token)
 * POST /links/NAME/down|up   take a link down or put it back   (token)
 * </pre>
 *
 * <p>Limits: request bodies above {@value #MAX_BODY_BYTES} bytes get 413; a request whose
 * {@code Host} is not a loopback name gets 403 (a web page that rebinds its own name to 127.0.0.1
 * cannot read the status); actions need {@code Authorization: Bearer TOKEN} (401 without, 403 with
 * a wrong one, 403 when no token is configured). The server takes at most {@value #MAX_REQUEST_SECONDS}
 * s to receive a request and {@value #MAX_RESPONSE_SECONDS} s to send an answer before it drops the
 * connection (the JDK server's {@code sun.net.httpserver.maxReqTime} and {@code maxRspTime},
 * set unless given on the command line).
 *
 * <p><b>Threads.</b> The JDK's dispatcher thread plus {@value #THREADS} named workers
 * ({@code NAME-control-http}) with a queue of {@value #QUEUE} requests; a request beyond that is
 * refused by closing its connection. None of them is a tunnel thread.
 */
final class HttpEndpoint implements AutoCloseable {
    static final int MAX_BODY_BYTES = 4096;
    static final int MAX_REQUEST_SECONDS = 5;
    static final int MAX_RESPONSE_SECONDS = 10;
    static final int THREADS = 2;
    static final int QUEUE = 16;

    static {
        // Read once by the JDK server when it is first used; an explicit -D wins.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(MAX_RESPONSE_SECONDS));
        }
    }

    private static final Map<String, String> STATIC_TYPES = Map.of(
            "/", "text/html; charset=utf-8",
            "/dashboard.js", "text/javascript; charset=utf-8",
            "/dashboard.css", "text/css; charset=utf-8");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ControlServer control;
    private final Optional<ControlToken> token;
    private final Logger log;
    private final Map<String, byte[]> statics;

    private HttpEndpoint(HttpServer server, ThreadPoolExecutor workers, ControlServer control,
            Optional<ControlToken> token, Logger log, Map<String, byte[]> statics) {
        this.server = server;
        this.workers = workers;
        this.control = control;
        this.token = token;
        this.log = log;
        this.statics = statics;
    }

    static HttpEndpoint open(InetSocketAddress address, ControlServer control, Optional<ControlToken> token,
            String name, Logger log) throws IOException {
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("not a loopback address: " + address);
        }
        Map<String, byte[]> statics = Map.of(
                "/", resource("index.html"), "/dashboard.js", resource("dashboard.js"),
                "/dashboard.css", resource("dashboard.css"));
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("control.http: cannot listen on " + address + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, name + "-control-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        HttpEndpoint e = new HttpEndpoint(server, workers, control, token, log, statics);
        server.setExecutor(workers);
        server.createContext("/", e::handle);
        server.start();
        return e;
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = HttpEndpoint.class.getResourceAsStream("dashboard/" + file)) {
            if (in == null) {
                throw new IOException("dashboard resource missing from the jar: " + file);
            }
            return in.readAllBytes();
        }
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) {
        try {
            Answer a = answer(ex);
            byte[] body = a.bytes();
            var h = ex.getResponseHeaders();
            h.set("Content-Type", a.contentType());
            h.set("Cache-Control", "no-store");
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            if (a.contentType().startsWith("text/html")) {
                h.set("Content-Security-Policy", CSP);
                h.set("X-Frame-Options", "DENY");
            }
            if (a.status() == 401) {
                h.set("WWW-Authenticate", "Bearer realm=\"mlvpn\"");
            }
            if (a.status() == 405) {
                h.set("Allow", ex.getRequestURI().getPath().equals("/reload")
                        || ex.getRequestURI().getPath().startsWith("/links/") ? "POST" : "GET");
            }
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("control http: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("control http: {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        } finally {
            ex.close();
        }
    }

    private Answer answer(HttpExchange ex) throws IOException {
        if (!loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
            return Answer.error(403, "Host is not a loopback name");
        }
        if (bodyTooLarge(ex)) {
            return Answer.error(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (path == null) {
            return Answer.error(400, "no path");
        }
        boolean action = path.equals("/reload") || path.startsWith("/links/");
        if (action) {
            if (!method.equals("POST")) {
                return Answer.error(405, "use POST for " + path);
            }
            Answer refused = authorize(ex.getRequestHeaders().getFirst("Authorization"));
            if (refused != null) {
                return refused;
            }
            return act(path);
        }
        if (!method.equals("GET")) {
            return Answer.error(405, "use GET for " + path);
        }
        String type = STATIC_TYPES.get(path);
        if (type != null) {
            return new Answer(200, type, new String(statics.get(path), StandardCharsets.UTF_8));
        }
        switch (path) {
            case "/status":
                return Answer.json(StatusJson.status(control.view()));
            case "/links":
                return Answer.json(StatusJson.links(control.view()));
            case "/metrics":
                return new Answer(200, MetricsText.CONTENT_TYPE, MetricsText.write(control.view()));
            default:
                return Answer.error(404, "no such path: " + path + " (try /status, /links, /metrics or /)");
        }
    }

    private Answer act(String path) {
        if (path.equals("/reload")) {
            return Commands.action(control.actions().reload());
        }
        String[] parts = path.split("/");
        // "", "links", NAME, "down"|"up"
        if (parts.length == 4 && !parts[2].isEmpty() && (parts[3].equals("down") || parts[3].equals("up"))) {
            return Commands.action(control.actions().setAdministrativelyDown(parts[2], parts[3].equals("down")));
        }
        return Answer.error(404, "no such action: " + path + " (POST /links/NAME/down or /links/NAME/up)");
    }

    /** Null when allowed, otherwise the refusal. */
    private Answer authorize(String header) {
        if (token.isEmpty()) {
            return Answer.error(403, "actions over HTTP are off: set control.token, or use the unix socket");
        }
        if (header == null || !header.startsWith("Bearer ")) {
            return Answer.error(401, "this action needs Authorization: Bearer TOKEN");
        }
        if (!token.get().matches(header.substring("Bearer ".length()).strip())) {
            return Answer.error(403, "wrong token");
        }
        return null;
    }

    /** Reads (and discards) the body, up to one byte past the limit. */
    private static boolean bodyTooLarge(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
                    return true;
                }
            } catch (NumberFormatException e) {
                return true;
            }
        }
        InputStream in = ex.getRequestBody();
        byte[] buf = new byte[1024];
        long total = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            total += r;
            if (total > MAX_BODY_BYTES) {
                return true;
            }
        }
        return false;
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return true;
        }
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1") && (end == h.length() - 1 || h.charAt(end + 1) == ':');
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
