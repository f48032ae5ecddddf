package io.mlvpn.core;

import io.mlvpn.api.Link;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.device.DeviceProviders;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.ReceiveSide;
import io.mlvpn.core.link.TimerSide;
import io.mlvpn.core.metrics.TunnelCounters;
import io.mlvpn.core.session.HandshakeKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Tunnel} the engine builds: wires the device, the links and the four kinds of thread
 * (device reader, device writer, one receiver per link, timer). Safe for concurrent use.
 */
final class BondedTunnel implements Tunnel {
    private static final Logger log = LoggerFactory.getLogger(BondedTunnel.class);
    private static final long JOIN_MILLIS = 2_000L;

    private final TunnelContext ctx;
    private final Scheduler scheduler;
    private final DeviceProvider deviceProvider;
    private final List<TunnelListener> listeners = new CopyOnWriteArrayList<>();
    private final HandshakeHandler handshakes;
    private final ControlLoop control;
    private final LinkOpener opener;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final String threadPrefix;
    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    /** Set once, by the first engine thread that ended while the tunnel ran. */
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean failed;
    private boolean ownsDevice;
    private final int reorderPackets;
    /** Which receiving link takes each of the peer's sending links; shared by the receivers. */
    private final SenderOwners senders = new SenderOwners();

    BondedTunnel(TunnelContext ctx, TimerSide[] links, PacketDevice device, DeviceProvider deviceProvider, Scheduler scheduler,
            LinkOpener opener, SecureRandom random, int reorderPackets) {
        this.ctx = ctx;
        this.reorderPackets = reorderPackets;
        this.ctx.device = device;
        this.deviceProvider = deviceProvider;
        this.scheduler = scheduler;
        this.opener = opener;
        this.handshakes = new HandshakeHandler(ctx, HandshakeKey.derive(ctx.config.secret()), random);
        this.control = new ControlLoop(ctx, links, handshakes, new ControlSender(ctx, handshakes), opener,
                this::startReceiver, listeners);
        this.threadPrefix = "mlvpn-" + ctx.config.interfaceName() + "-";
    }

    @Override
    public TunnelConfig config() {
        return ctx.config;
    }

    @Override
    public TunnelState state() {
        if (failed) {
            return TunnelState.FAILED;
        }
        if (closed) {
            return TunnelState.CLOSED;
        }
        if (!started) {
            return TunnelState.NEW;
        }
        return control.tunnelState();
    }

    @Override
    public int mtu() {
        return ctx.mtu;
    }

    @Override
    public int mtuInForce() {
        return ctx.effectiveMtu;
    }

    @Override
    public List<Link> links() {
        return List.of((Link[]) ctx.links());
    }

    @Override
    public Optional<Link> link(String name) {
        for (Link l : ctx.links()) {
            if (l.name().equals(name)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    @Override
    public TunnelStats stats() {
        LinkRuntime[] all = ctx.links();
        List<LinkStats> ls = new ArrayList<>(all.length);
        for (LinkRuntime l : all) {
            ls.add(l.stats());
        }
        return ctx.counters.snapshot(state(), ls, ctx.pool);
    }

    @Override
    public void addListener(TunnelListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(TunnelListener listener) {
        listeners.remove(listener);
    }

    /** The tunnel's buffer pool, so tests can check that every buffer came back. */
    io.mlvpn.core.buffer.BufferPool pool() {
        return ctx.pool;
    }

    /** The tunnel's counters, for tests that look at one the public statistics do not carry. */
    TunnelCounters counters() {
        return ctx.counters;
    }

    /** The last handshake error (for example a cipher mismatch), if any. */
    Optional<String> lastHandshakeError() {
        return Optional.ofNullable(handshakes.lastError());
    }

    @Override
    public List<String> reconfigure(TunnelConfig config) {
        java.util.Objects.requireNonNull(config, "config");
        ControlLoop.PendingReload r;
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("tunnel closed");
            }
            if (!started) {
                return control.applyNow(config, ctx.clock.nanoTime());
            }
            r = control.submit(config);
        }
        try {
            return r.done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("reload failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("reload not applied within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reloading");
        }
    }

    @Override
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("tunnel closed");
            }
            if (started) {
                throw new IllegalStateException("tunnel already started");
            }
            // Configuration errors (no transport provider fits a link) fail the start; a socket
            // that cannot be opened yet is retried by the timer with back-off.
            for (LinkRuntime l : ctx.links()) {
                opener.provider(l.config(), opener.transportConfig(l.config(), null));
            }
            if (ctx.device == null) {
                ctx.device = DeviceProviders.open(deviceProvider, TunnelBuilder.deviceConfig(ctx.config));
                ownsDevice = true;
                log.info("device {} open ({}, mtu {})", ctx.device.name(), ctx.device.type().configName(), ctx.mtu);
            }
            ctx.running = true;
            started = true;
            long now = ctx.clock.nanoTime();
            control.openAll(now);
            Thread writer = thread("device-writer", new DeviceWriterLoop(ctx, reorderPackets));
            ctx.writerThread = writer;
            writer.start();
            thread("device-reader", new DeviceReaderLoop(ctx, scheduler)).start();
            thread("timer", control).start();
        }
    }

    private void startReceiver(ReceiveSide link, DatagramTransport transport) {
        thread(link.link().name() + "-receiver", new LinkReceiverLoop(ctx, link, transport, handshakes, senders))
                .start();
    }

    private Thread thread(String job, Runnable r) {
        Thread t = new Thread(() -> runEngineThread(job, r), threadPrefix + job);
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    /**
     * Runs one engine thread's loop. The loops handle every failure they can go on after; what
     * ends one while the tunnel runs (an {@link Error}, a device that failed for good) must not
     * leave the tunnel half alive, so it fails the whole tunnel.
     */
    private void runEngineThread(String job, Runnable loop) {
        try {
            loop.run();
        } catch (Throwable e) { // every way a thread can die is a tunnel failure
            if (ctx.running) {
                fail(job, e);
            } else {
                log.debug("{} ended while stopping: {}", job, e.toString());
            }
        }
    }

    /**
     * Fails the tunnel: one ERROR line, state {@link TunnelState#FAILED}, and a close on a thread
     * of its own (close joins the engine threads, the failing one among them). Only the first
     * failure counts; the others are what the stop itself causes.
     */
    private void fail(String job, Throwable cause) {
        if (!failing.compareAndSet(false, true)) {
            return;
        }
        log.error("tunnel {} failed and stops: thread {} ended: {}", ctx.config.interfaceName(), job,
                cause.toString(), cause);
        failed = true;
        Thread stopper = new Thread(this::close, threadPrefix + "stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (!started) {
                return;
            }
            ctx.running = false;
            Thread self = Thread.currentThread();
            for (Thread t : threads) {
                if (t.getName().endsWith("-timer") && t != self) {
                    join(t);
                }
            }
            long now = ctx.clock.nanoTime();
            control.disconnectAll(now);
            control.closeAll(now, failed ? TunnelState.FAILED : TunnelState.CLOSED);
            if (ownsDevice) {
                try {
                    ctx.device.close();
                } catch (IOException e) {
                    log.warn("device {}: close failed: {}", ctx.device.name(), e.toString());
                }
            }
            for (Thread t : threads) {
                if (t == self) {
                    continue;
                }
                t.interrupt();
                // A reader blocked on a device the tunnel does not own only returns when its owner
                // closes it; it is a daemon thread and exits then, so do not wait for it.
                if (ownsDevice || !t.getName().endsWith("-device-reader")) {
                    join(t);
                }
            }
            ctx.releaseHandOff();
            log.info("tunnel closed");
        }
    }

    private static void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
