package io.mlvpn.launcher.control;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.TunnelConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The control side of one running tunnel: the flight recorder and the statistics sampler, always;
 * the HTTP endpoint and the unix socket when configured. Reads the tunnel only through its
 * snapshots and events, so nothing here can hold up the data path.
 *
 * <p><b>Threads.</b> {@code NAME-control-sampler} samples the tunnel every 100 ms (flight recorder,
 * RTT histograms) and enforces the unix clients' deadlines; the endpoints own theirs (see
 * {@link HttpEndpoint}, {@link UnixEndpoint}). {@link #close()} stops them all; idempotent. Safe for
 * concurrent use.
 */
public final class ControlServer implements AutoCloseable {
    /** How often the tunnel is sampled. */
    public static final long SAMPLE_MILLIS = 100;

    private final String name;
    private final String version;
    private final String device;
    private final Tunnel tunnel;
    private final ControlActions actions;
    private final Logger log;
    private final long startedMillis = System.currentTimeMillis();
    private final FlightRecorder recorder;
    private final ScheduledExecutorService timer;
    private volatile HttpEndpoint http;
    private volatile UnixEndpoint unix;

    private ControlServer(String name, String version, String device, Tunnel tunnel, ControlActions actions,
            Logger log) {
        this.name = name;
        this.version = version;
        this.device = device;
        this.tunnel = tunnel;
        this.actions = actions;
        this.log = log;
        this.recorder = new FlightRecorder(FlightRecorder.DEFAULT_CAPACITY, log);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-control-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the recorder and sampler and opens the configured endpoints. On failure nothing is
     * left open.
     *
     * @param settings where to listen
     * @param tunnel the tunnel (started or not); the recorder is added as its listener
     * @param device the device's name, for the status
     * @param actions what the endpoints may ask beyond reading
     * @param name the instance name: status {@code name} and thread names
     * @param version the launcher's version, for the status
     * @param log where the endpoints and the flight recorder log
     * @throws IOException when an endpoint cannot be opened, naming it
     */
    public static ControlServer start(ControlSettings settings, Tunnel tunnel, String device, ControlActions actions,
            String name, String version, Logger log) throws IOException {
        ControlServer s = new ControlServer(Objects.requireNonNull(name, "name"), version, device, tunnel, actions, log);
        tunnel.addListener(s.recorder);
        s.timer.scheduleAtFixedRate(s::sampleSafely, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        try {
            if (settings.unix().isPresent()) {
                s.unix = UnixEndpoint.open(settings.unix().get(), new Commands(s), s.timer, name, log);
                log.info("control socket: {}", settings.unix().get());
            }
            if (settings.http().isPresent()) {
                s.http = HttpEndpoint.open(settings.http().get(), s, settings.token(), name, log);
                log.info("control endpoint: http://{}/ (actions over HTTP {})", hostPort(s.http.address()),
                        settings.token().isPresent() ? "need the token" : "off: no control.token");
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The HTTP endpoint's bound address (the real port when 0 was configured). */
    public Optional<InetSocketAddress> httpAddress() {
        HttpEndpoint h = http;
        return h == null ? Optional.empty() : Optional.of(h.address());
    }

    /** The unix socket's path. */
    public Optional<Path> unixPath() {
        UnixEndpoint u = unix;
        return u == null ? Optional.empty() : Optional.of(u.path());
    }

    /**
     * Gives the unix socket file to {@code user} (still mode 0600), so that user may use it after
     * the process drops to it. Call while still root.
     *
     * @throws IOException when the user is unknown or the owner cannot be changed
     */
    public void grantSocketTo(String user) throws IOException {
        UnixEndpoint u = unix;
        if (u != null) {
            u.grantTo(user);
        }
    }

    /** The failover flight recorder. */
    public FlightRecorder flightRecorder() {
        return recorder;
    }

    /** The status JSON now, as {@code GET /status} answers it. */
    public String statusJson() {
        return StatusJson.status(view());
    }

    /** The metrics text now, as {@code GET /metrics} answers it. */
    public String metricsText() {
        return MetricsText.write(view());
    }

    ControlActions actions() {
        return actions;
    }

    /** Everything a status answer shows, now. */
    StatusView view() {
        TunnelStats stats = tunnel.stats();
        return new StatusView(name, version, ProcessHandle.current().pid(), device, tunnel.mtu(), tunnel.mtuInForce(),
                startedMillis,
                System.currentTimeMillis(), tunnel.config(), stats, actions.administrativelyDown(), recorder.records(),
                StatusView.rttHistogramsOf(stats));
    }

    private void sampleSafely() {
        try {
            sample(System.currentTimeMillis());
        } catch (RuntimeException e) {
            // A failed sample must not end the periodic task: log and go on.
            log.warn("control sampler: {}", e.toString());
        }
    }

    void sample(long nowMillis) {
        TunnelStats stats = tunnel.stats();
        TunnelConfig config = tunnel.config();
        Map<String, Long> bandwidths = new HashMap<>();
        for (LinkConfig l : config.links()) {
            if (l.uploadBitsPerSecond() > 0) {
                bandwidths.put(l.name(), l.uploadBitsPerSecond());
            }
        }
        recorder.sample(stats, bandwidths, nowMillis);
    }

    /** Closes the endpoints (removing the socket file), stops the sampler and leaves the tunnel. */
    @Override
    public void close() {
        HttpEndpoint h = http;
        if (h != null) {
            h.close();
        }
        UnixEndpoint u = unix;
        if (u != null) {
            u.close();
        }
        timer.shutdownNow();
        tunnel.removeListener(recorder);
    }
}
