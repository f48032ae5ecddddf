package io.mlvpn.core.testing;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks that closed tunnels leave nothing behind: no engine thread still alive and every packet
 * buffer back in its pool ({@code TunnelStats.buffersInUse() == 0}).
 *
 * <p>Registered for every test of this module by JUnit's extension auto-detection (see
 * {@code junit-platform.properties}): after each test, no engine thread started during it may
 * outlive it, and every tunnel the test {@linkplain #watch watched} must be closed and whole.
 * {@link TunnelPair} watches its tunnels and checks them when it closes; a test that builds a
 * tunnel itself wraps it in {@link #watch}.
 *
 * <p>Engine threads are recognised by name: {@code mlvpn-<interface>-} and then
 * {@code device-reader}, {@code device-writer}, {@code timer} or {@code <link>-receiver}.
 */
public final class EngineLeakCheck implements BeforeEachCallback, AfterEachCallback {
    /** How long a closed tunnel's threads get to end: its close joins them for 2 s each at most. */
    static final long SETTLE_MILLIS = 5_000;
    private static final String[] JOBS = {"-device-reader", "-device-writer", "-timer", "-receiver"};
    private static final List<Tunnel> WATCHED = new CopyOnWriteArrayList<>();
    /** Engine threads alive when the running test started (a class's shared tunnel, say): not its own. */
    private final Set<Thread> before = java.util.Collections.synchronizedSet(new HashSet<>());
    private final long settleMillis;

    /** The check JUnit registers: threads get {@link #SETTLE_MILLIS} to end. */
    public EngineLeakCheck() {
        this(SETTLE_MILLIS);
    }

    /** A check whose threads get {@code settleMillis} to end; for testing the check itself. */
    EngineLeakCheck(long settleMillis) {
        this.settleMillis = settleMillis;
    }

    /** Adds {@code tunnel} to the check after the running test; returns it. */
    public static <T extends Tunnel> T watch(T tunnel) {
        WATCHED.add(tunnel);
        return tunnel;
    }

    /** True for a thread the engine started for some tunnel. */
    public static boolean isEngineThread(Thread t) {
        String name = t.getName();
        if (!name.startsWith("mlvpn-")) {
            return false;
        }
        for (String job : JOBS) {
            if (name.endsWith(job)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asserts that each tunnel is closed, that its engine threads end within {@link #SETTLE_MILLIS}
     * and that its pool then has every buffer back.
     *
     * @throws AssertionError naming what was left behind
     */
    public static void assertClean(Collection<? extends Tunnel> tunnels) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        // Checked once: the test's own check here spares the one after the test.
        WATCHED.removeAll(tunnels);
        for (Tunnel t : tunnels) {
            String prefix = "mlvpn-" + t.config().interfaceName() + "-";
            if (t.state() != TunnelState.CLOSED) {
                problems.add("tunnel " + t.config().interfaceName() + " not closed (" + t.state() + ")");
                continue;
            }
            problems.addAll(lingering(th -> isEngineThread(th) && th.getName().startsWith(prefix), SETTLE_MILLIS));
            int inUse = t.stats().buffersInUse();
            if (inUse != 0) {
                problems.add("tunnel " + t.config().interfaceName() + ": " + inUse
                        + " packet buffers not returned to the pool after close");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("left behind after close: " + problems);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        WATCHED.clear();
        before.clear();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (isEngineThread(t)) {
                before.add(t);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        List<Tunnel> tunnels = new ArrayList<>(WATCHED);
        WATCHED.clear();
        try {
            assertClean(tunnels);
            List<String> threads = lingering(t -> isEngineThread(t) && !before.contains(t), settleMillis);
            if (!threads.isEmpty()) {
                throw new AssertionError("engine threads still alive after the test: " + threads);
            }
        } finally {
            before.clear();
        }
    }

    /**
     * Waits up to {@code settleMillis} for the threads {@code which} selects to end; describes
     * those still alive then (name and where they are).
     */
    private static List<String> lingering(Predicate<Thread> which, long settleMillis) throws InterruptedException {
        long deadline = System.nanoTime() + settleMillis * 1_000_000L;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (which.test(t)) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            }
        }
        List<String> alive = new ArrayList<>();
        for (var e : Thread.getAllStackTraces().entrySet()) {
            if (which.test(e.getKey()) && e.getKey().isAlive()) {
                StackTraceElement[] stack = e.getValue();
                StringBuilder where = new StringBuilder(e.getKey().getName());
                for (int i = 0; i < Math.min(4, stack.length); i++) {
                    where.append(i == 0 ? " at " : " < ").append(stack[i]);
                }
                alive.add(where.toString());
            }
        }
        return alive;
    }
}
