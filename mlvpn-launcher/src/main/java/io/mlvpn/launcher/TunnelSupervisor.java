package io.mlvpn.launcher;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.DeviceProviders;
import io.mlvpn.launcher.control.ActionResult;
import io.mlvpn.launcher.control.ControlActions;
import io.mlvpn.launcher.control.ControlServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Runs one tunnel for the launcher: opens the device, starts the tunnel and its status hooks,
 * applies reloads, reports a tunnel that stays down, runs the control endpoint and its actions,
 * and shuts down in order.
 *
 * <p><b>Threads.</b> {@link #requestStop} and {@link #requestReload} may be called from any
 * thread (signal handlers) and only queue a request; the control endpoint's actions (reload,
 * link down/up) are queued the same way and wait for their result. {@link #start()} and
 * {@link #serve()} run on the launcher's main thread, which performs every request, so reloads
 * and actions never overlap each other or the shutdown.
 *
 * <p><b>Links taken down by the operator.</b> The engine has no administrative state for a link,
 * so a link taken down is removed from the running configuration ({@link Tunnel#reconfigure}:
 * it is closed and the peer told, {@code rtun_down} runs) and added back when put up again (it
 * reopens and comes up through the handshake). Reloads keep it down while the file still has it.
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

    /** Watches the open device for its deletion under the running tunnel. */
    @FunctionalInterface
    interface DeviceWatcher {
        /** A check that becomes true once {@code device} is gone (its interface deleted). */
        BooleanSupplier watch(PacketDevice device);
    }

    /** Longest wait of a control action for the main thread. */
    private static final long ACTION_WAIT_MILLIS = 30_000;

    private enum Kind { RELOAD, STOP, ACTION }

    /** A queued request; {@code action} is set for {@link Kind#ACTION}. */
    private record Request(Kind kind, FutureTask<ActionResult> action) {
        static final Request RELOAD = new Request(Kind.RELOAD, null);
        static final Request STOP = new Request(Kind.STOP, null);
    }

    private final String name;
    private final Logger log;
    private final DeviceOpener devices;
    private final TunnelFactory tunnels;
    private final ConfigLoader loader;
    private final DeviceWatcher watcher;
    private BooleanSupplier deviceGone = () -> false;
    /** Set when the tunnel stopped because it could not go on (the process exits with status 1). */
    private volatile boolean failed;
    private final BlockingQueue<Request> requests = new ArrayBlockingQueue<>(16);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LinkDiagnosis diagnosis = new LinkDiagnosis();
    private volatile String stopReason = "stop requested";
    private final Optional<Path> statusCommandAtStart;
    private final io.mlvpn.launcher.control.ControlSettings controlAtStart;
    private final Optional<String> userAtStart;
    private LauncherConfig config;
    private PacketDevice device;
    private Tunnel tunnel;
    private StatusHooks hooks;
    private StatusCommandRunner runner;
    private ControlServer control;
    /** Names of links the operator took down; main thread only. */
    private final LinkedHashSet<String> adminDown = new LinkedHashSet<>();
    /** The configurations of those links, for the status; written by the main thread. */
    private volatile List<LinkConfig> adminDownConfigs = List.of();
    private volatile boolean serving;

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
        this(config, name, log, devices, tunnels, loader, device -> () -> false);
    }

    /**
     * As the other constructor, with {@code watcher} telling when the device is deleted under the
     * running tunnel (the supervisor then stops and {@link #failed()} is true).
     */
    TunnelSupervisor(LauncherConfig config, String name, Logger log, DeviceOpener devices, TunnelFactory tunnels,
            ConfigLoader loader, DeviceWatcher watcher) {
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.config = Objects.requireNonNull(config, "config");
        this.statusCommandAtStart = config.statusCommand();
        this.controlAtStart = config.control();
        this.userAtStart = config.user();
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
                (c, d) -> TunnelBuilder.of(c).device(d).build(), () -> PropertiesConfig.parse(source),
                d -> InterfaceWatch.gone(d.name()));
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
        device = devices.open(TunnelBuilder.deviceConfig(tc).toBuilder().offloads(config.interfaceOffload()).build());
        try {
            tunnel = tunnels.build(tc, device);
            runner = newRunner(config, device.name(), tunnel.mtu()).orElse(null);
            hooks = new StatusHooks(runner != null ? runner::submit : call -> { });
            tunnel.addListener(hooks);
            if (runner != null) {
                runner.start();
            }
            tunnel.start();
            control = ControlServer.start(config.control(), tunnel, device.name(), new Actions(), name,
                    Main.version(), log);
            deviceGone = watcher.watch(device);
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

    /**
     * Drops root for {@code user} keeping CAP_NET_ADMIN, after giving it the control socket. Call
     * on the main thread after {@link #start()} and before {@link #serve()}: the device is open and
     * the sockets are bound by then.
     *
     * @throws IOException when it fails; the process should then stop
     */
    void dropPrivileges(String user) throws IOException {
        if (control != null) {
            control.grantSocketTo(user);
        }
        PrivilegeDrop.to(user, TunnelSupervisor.class.getClassLoader(), log);
    }

    /** The control endpoint (started by {@link #start()}). */
    ControlServer control() {
        return control;
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

    /** Runs {@code action} on the main thread and waits for its result. */
    private ActionResult onMainThread(String what, Supplier<ActionResult> action) {
        if (!serving) {
            return ActionResult.refused(what + ": the launcher is not serving requests (starting or stopping)");
        }
        FutureTask<ActionResult> task = new FutureTask<>(action::get);
        if (!requests.offer(new Request(Kind.ACTION, task))) {
            return ActionResult.refused(what + ": too many requests queued; try again");
        }
        try {
            return task.get(ACTION_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ActionResult.failed(what + ": interrupted");
        } catch (ExecutionException e) {
            return ActionResult.failed(what + ": " + e.getCause());
        } catch (TimeoutException e) {
            return ActionResult.failed(what + ": no result within " + ACTION_WAIT_MILLIS + " ms");
        }
    }

    /** Performs requests until a stop, then shuts down. Call after {@link #start()}. */
    void serve() {
        serving = true;
        try {
            while (true) {
                Request r = requests.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (r != null && r.kind() == Kind.STOP) {
                    break;
                }
                if (r != null && r.kind() == Kind.RELOAD) {
                    reload();
                }
                if (r != null && r.kind() == Kind.ACTION) {
                    r.action().run();
                }
                checkDown();
                boolean gone = deviceGone.getAsBoolean();
                if (gone || tunnel.state() == TunnelState.FAILED) {
                    // A deleted device's fd is dead (EBADFD) and a new device, like a failed
                    // engine, needs a new tunnel: stop in order and let the service manager
                    // start us again. The deleted device is named first: it says what to look at.
                    if (gone) {
                        log.error("device {} was deleted under the running tunnel (ip link del?): stopping;"
                                + " a restart creates it again", device.name());
                        stopReason = "device " + device.name() + " deleted";
                    } else {
                        log.error("the tunnel failed (the error above says why): stopping; a restart starts it"
                                + " again");
                        stopReason = "tunnel failed";
                    }
                    failed = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopReason = "interrupted";
        }
        serving = false;
        for (Request r : requests) {
            if (r.kind() == Kind.ACTION) {
                r.action().cancel(false);
            }
        }
        shutdown();
    }

    /** True when {@link #serve()} stopped because the tunnel could not go on (exit status 1). */
    boolean failed() {
        return failed;
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
            adminDown.removeIf(l -> next.tunnel().link(l).isEmpty());
            notApplied.addAll(tunnel.reconfigure(running(next.tunnel())));
            adminDownConfigs = downConfigs(next.tunnel());
        } catch (IllegalStateException | ConfigException e) {
            log.error("reload failed: {}; still running the previous configuration", e.getMessage());
            return new ReloadOutcome(false, List.of());
        }
        if (!next.statusCommand().equals(statusCommandAtStart)) {
            notApplied.add("status.command: changes only at restart");
        }
        if (!next.control().equals(controlAtStart)) {
            notApplied.add("control.*: changes only at restart");
        }
        if (!next.user().equals(userAtStart)) {
            notApplied.add("user: changes only at restart");
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

    /** The file's configuration without the links the operator took down. */
    private TunnelConfig running(TunnelConfig file) throws ConfigException {
        if (adminDown.isEmpty()) {
            return file;
        }
        List<LinkConfig> up = new ArrayList<>();
        for (LinkConfig l : file.links()) {
            if (!adminDown.contains(l.name())) {
                up.add(l);
            }
        }
        return file.toBuilder().links(up).build();
    }

    private List<LinkConfig> downConfigs(TunnelConfig file) {
        List<LinkConfig> down = new ArrayList<>();
        for (LinkConfig l : file.links()) {
            if (adminDown.contains(l.name())) {
                down.add(l);
            }
        }
        return List.copyOf(down);
    }

    /** Takes a link down or puts it back. Main thread only. */
    ActionResult setAdministrativelyDown(String link, boolean down) {
        TunnelConfig file = config.tunnel();
        if (file.link(link).isEmpty()) {
            return new ActionResult(ActionResult.Outcome.UNKNOWN_LINK, "no link " + link + " in the configuration",
                    List.of());
        }
        if (down == adminDown.contains(link)) {
            return ActionResult.done("link " + link + " is already " + (down ? "down" : "up") + " administratively");
        }
        if (down && adminDown.size() + 1 >= file.links().size()) {
            return ActionResult.refused("link " + link + " is the last link left: taking it down would stop the tunnel");
        }
        if (down) {
            adminDown.add(link);
        } else {
            adminDown.remove(link);
        }
        List<String> notApplied;
        try {
            notApplied = tunnel.reconfigure(running(file));
        } catch (IllegalStateException | ConfigException e) {
            if (down) {
                adminDown.remove(link);
            } else {
                adminDown.add(link);
            }
            return ActionResult.failed("link " + link + ": " + e.getMessage());
        }
        adminDownConfigs = downConfigs(file);
        String message = "link " + link + (down ? " taken down administratively (closed, the peer told)"
                : " put back in service (reopened; up after the handshake)");
        log.info("{}", message);
        return new ActionResult(ActionResult.Outcome.DONE, message, notApplied);
    }

    /** The control endpoint's actions, each performed on the main thread. */
    private final class Actions implements ControlActions {
        @Override
        public ActionResult reload() {
            return onMainThread("reload", () -> {
                ReloadOutcome o = TunnelSupervisor.this.reload();
                return o.applied()
                        ? new ActionResult(ActionResult.Outcome.DONE, "reloaded " + config.source(), o.notApplied())
                        : ActionResult.failed("reload failed; still running the previous configuration (see the log)");
            });
        }

        @Override
        public ActionResult setAdministrativelyDown(String link, boolean down) {
            return onMainThread("link " + link + (down ? " down" : " up"),
                    () -> TunnelSupervisor.this.setAdministrativelyDown(link, down));
        }

        @Override
        public List<LinkConfig> administrativelyDown() {
            return adminDownConfigs;
        }
    }

    private void shutdown() {
        log.info("stopping ({})", stopReason);
        if (control != null) {
            control.close();
        }
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
