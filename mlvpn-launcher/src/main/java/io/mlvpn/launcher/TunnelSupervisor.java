package io.mlvpn.launcher;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.DeviceProviders;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Runs one tunnel for the launcher: opens the device, starts the tunnel and its status hooks,
 * applies reloads, reports a tunnel that stays down, and shuts down in order.
 *
 * <p><b>Threads.</b> {@link #requestStop} and {@link #requestReload} may be called from any
 * thread (signal handlers) and only queue a request; {@link #start()} and {@link #serve()} run on
 * the launcher's main thread, which performs every request, so reloads never overlap each other
 * or the shutdown.
 *
 * <p><b>Shutdown order.</b> The tunnel tells the peer on every up link and raises the down events;
 * the status command runs {@code rtun_down} for each link that was up, then {@code tuntap_down};
 * only then is the device closed (which removes the interface), so a down script still finds it.
 * The launcher opens the device itself for that reason: a tunnel closes only a device it opened.
 */
final class TunnelSupervisor {
    /** Longest wait for the tunnel's close to raise the down events. */
    private static final long CLOSE_EVENTS_MILLIS = 5_000;
    /** How often the main thread looks at the tunnel when no request comes. */
    private static final long CHECK_MILLIS = 1_000;

    /** Opens the packet device. */
    @FunctionalInterface
    interface DeviceOpener {
        /** Opens a device as {@code config} asks. */
        PacketDevice open(DeviceConfig config) throws IOException;
    }

    /** Builds a tunnel (not started) on an already open device. */
    @FunctionalInterface
    interface TunnelFactory {
        /** A tunnel running {@code config} on {@code device}, which it must not close. */
        Tunnel build(TunnelConfig config, PacketDevice device) throws IOException;
    }

    /** Reads the configuration again for a reload. */
    @FunctionalInterface
    interface ConfigLoader {
        /** The configuration now in the file. */
        LauncherConfig load() throws ConfigException;
    }

    private enum Request { RELOAD, STOP }

    private final String name;
    private final Logger log;
    private final DeviceOpener devices;
    private final TunnelFactory tunnels;
    private final ConfigLoader loader;
    private final BlockingQueue<Request> requests = new ArrayBlockingQueue<>(16);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LinkDiagnosis diagnosis = new LinkDiagnosis();
    private volatile String stopReason = "stop requested";
    private final Optional<Path> statusCommandAtStart;
    private LauncherConfig config;
    private PacketDevice device;
    private Tunnel tunnel;
    private StatusHooks hooks;
    private StatusCommandRunner runner;

    /**
     * @param config the configuration to start with
     * @param name the instance name ({@code --name}): thread names
     * @param log the launcher's logger
     * @param devices opens the device
     * @param tunnels builds the tunnel
     * @param loader reads the configuration again on a reload
     */
    TunnelSupervisor(LauncherConfig config, String name, Logger log, DeviceOpener devices, TunnelFactory tunnels,
            ConfigLoader loader) {
        this.config = Objects.requireNonNull(config, "config");
        this.statusCommandAtStart = config.statusCommand();
        this.name = Objects.requireNonNull(name, "name");
        this.log = Objects.requireNonNull(log, "log");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.tunnels = Objects.requireNonNull(tunnels, "tunnels");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** A supervisor using the class path's device providers, the engine, and the config file. */
    static TunnelSupervisor standard(LauncherConfig config, String name, Logger log) {
        Path source = config.source();
        return new TunnelSupervisor(config, name, log,
                c -> DeviceProviders.open(DeviceProviders.load(TunnelSupervisor.class.getClassLoader()), c, null),
                (c, d) -> TunnelBuilder.of(c).device(d).build(), () -> PropertiesConfig.parse(source));
    }

    /**
     * Opens the device, starts the status command runner and the tunnel. On failure nothing is
     * left open.
     *
     * @throws IOException when the device cannot be opened or the tunnel cannot start; the
     *     message says why (for example the device provider's cause)
     */
    void start() throws IOException {
        TunnelConfig tc = config.tunnel();
        device = devices.open(TunnelBuilder.deviceConfig(tc));
        try {
            tunnel = tunnels.build(tc, device);
            runner = newRunner(config, device.name(), tunnel.mtu()).orElse(null);
            hooks = new StatusHooks(runner != null ? runner::submit : call -> { });
            tunnel.addListener(hooks);
            if (runner != null) {
                runner.start();
            }
            tunnel.start();
        } catch (IOException | RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            if (runner != null) {
                runner.finish(Duration.ofSeconds(1));
            }
            try {
                device.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        log.info("running: {} with {} link(s) on device {} (mtu {}), configuration {}",
                tc.mode().name().toLowerCase(java.util.Locale.ROOT), tc.links().size(), device.name(), tunnel.mtu(),
                config.source());
    }

    private Optional<StatusCommandRunner> newRunner(LauncherConfig c, String deviceName, int mtu) {
        Optional<Path> command = c.statusCommand();
        if (command.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> problem = StatusCommandRunner.problem(command.get());
        if (problem.isPresent()) {
            log.warn("status.command: {}; status commands are off", problem.get());
            return Optional.empty();
        }
        log.info("status command: {} (time limit {} ms)", command.get(), c.statusCommandTimeout().toMillis());
        return Optional.of(new StatusCommandRunner(command.get(), deviceName, mtu, c.hookEnvironment(),
                c.statusCommandTimeout(), name + "-status-command", log));
    }

    /** Asks for an orderly shutdown; never blocks. */
    void requestStop(String reason) {
        stopReason = reason;
        if (!requests.offer(Request.STOP)) {
            // The queue only fills when something floods us with signals; make room for the stop.
            requests.clear();
            requests.offer(Request.STOP);
        }
    }

    /** Asks for a reload of the configuration file; never blocks (reloads already queued merge). */
    void requestReload() {
        if (!requests.contains(Request.RELOAD)) {
            requests.offer(Request.RELOAD);
        }
    }

    /** Performs requests until a stop, then shuts down. Call after {@link #start()}. */
    void serve() {
        try {
            while (true) {
                Request r = requests.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (r == Request.STOP) {
                    break;
                }
                if (r == Request.RELOAD) {
                    reload();
                }
                checkDown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopReason = "interrupted";
        }
        shutdown();
    }

    /** Waits (at most {@code timeout}) until {@link #serve()} has finished the shutdown. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkDown() {
        boolean up = tunnel.state() == TunnelState.UP;
        boolean wasReported = diagnosis.reported();
        long downMillis = diagnosis.due(up, System.nanoTime() / 1_000_000);
        if (downMillis >= 0) {
            log.warn("{}", LinkDiagnosis.describe(downMillis, tunnel.stats().links()));
        } else if (up && wasReported) {
            log.info("tunnel up again");
        }
    }

    /**
     * What a reload did.
     *
     * @param applied false when the file could not be read or applied: the previous configuration runs on
     * @param notApplied the settings left as they were until a restart (when applied)
     */
    record ReloadOutcome(boolean applied, List<String> notApplied) {
    }

    /** Reads the file again and applies what can change while running. Main thread only. */
    ReloadOutcome reload() {
        LauncherConfig next;
        try {
            next = loader.load();
        } catch (ConfigException e) {
            log.error("reload failed: {}: {}; still running the previous configuration", config.source(),
                    e.getMessage());
            return new ReloadOutcome(false, List.of());
        }
        List<String> notApplied = new ArrayList<>();
        try {
            notApplied.addAll(tunnel.reconfigure(next.tunnel()));
        } catch (IllegalStateException e) {
            log.error("reload failed: {}; still running the previous configuration", e.getMessage());
            return new ReloadOutcome(false, List.of());
        }
        if (!next.statusCommand().equals(statusCommandAtStart)) {
            notApplied.add("status.command: changes only at restart");
        }
        if (runner != null) {
            runner.environment(next.hookEnvironment());
            runner.timeout(next.statusCommandTimeout());
        }
        config = next;
        log.info("reloaded {}: {} link(s){}", config.source(), next.tunnel().links().size(),
                notApplied.isEmpty() ? "" : "; not applied (restart to apply): " + String.join("; ", notApplied));
        return new ReloadOutcome(true, List.copyOf(notApplied));
    }

    private void shutdown() {
        log.info("stopping ({})", stopReason);
        Thread closer = new Thread(tunnel::close, name + "-close");
        closer.start();
        try {
            if (!hooks.awaitNoLinkUp(CLOSE_EVENTS_MILLIS)) {
                log.warn("links still up {} ms after close: {}", CLOSE_EVENTS_MILLIS, hooks.upLinks());
            }
            if (runner != null) {
                Duration perCall = config.statusCommandTimeout().plusSeconds(1);
                runner.finish(perCall.multipliedBy(tunnel.links().size() + 2L));
            }
            device.close();
            closer.join(CLOSE_EVENTS_MILLIS);
        } catch (InterruptedException | IOException e) {
            log.warn("shutdown: {}", e.toString());
            try {
                device.close();
            } catch (IOException ignored) {
                // Already reported; the process exits anyway, which releases the device.
            }
        }
        log.info("stopped");
        stopped.countDown();
    }

    /** The running tunnel (tests). */
    Tunnel tunnel() {
        return tunnel;
    }

    /** The status command runner, if the status command is on (tests). */
    Optional<StatusCommandRunner> runner() {
        return Optional.ofNullable(runner);
    }
}
