package io.mlvpn.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Runs the status command (MLVPN's up/down script) one call at a time, in the order the calls
 * were submitted, on one dedicated thread fed by a bounded queue.
 *
 * <p>Each call runs {@code <command> <device> <args...>} directly (no shell) with the working
 * directory {@code /}, standard input and output on {@code /dev/null}, standard error inherited
 * (so the script's messages reach the launcher's log), and the launcher's environment plus
 * {@code IP4 IP6 IP4_GATEWAY IP6_GATEWAY IP4_ROUTES IP6_ROUTES} (from the configuration, empty
 * when unset), {@code DEVICE} and {@code MTU}. A call still running after the time limit is
 * killed with its descendants; a non-zero exit, a kill or a failure to start is logged as a
 * warning and counted, never fatal.
 *
 * <p><b>Threading.</b> {@link #submit} never blocks (a full queue is a counted, logged drop), so
 * the tunnel's timer thread may call it from a listener. The environment and the time limit may
 * be replaced from any thread (a reload); the next call uses them. The counters are safe to read
 * from any thread.
 */
final class StatusCommandRunner {
    /** Most calls waiting to run; more are dropped. */
    static final int QUEUE_CAPACITY = 256;
    /** Marks the end of the queue. */
    private static final List<String> END = List.of();
    private static final File ROOT = new File("/");
    private static final File DEV_NULL = new File("/dev/null");

    private final Path command;
    private final String device;
    private final int mtu;
    private final Logger log;
    private final BlockingQueue<List<String>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile Map<String, String> hookEnvironment;
    private volatile long timeoutMillis;
    private volatile boolean finishing;

    private final AtomicLong dropped = new AtomicLong();
    /** Runner thread only writes these three. */
    private volatile long runs;
    private volatile long failures;
    private volatile long timeouts;

    /**
     * A runner; call {@link #start()} before the first {@link #submit} is expected to run.
     *
     * @param command the executable (validate it first with {@link #problem})
     * @param device the device name passed as the first argument and as {@code DEVICE}
     * @param mtu the tunnel MTU, exported as {@code MTU}
     * @param hookEnvironment the configured variables ({@link LauncherConfig#hookEnvironment()})
     * @param timeout time limit of one call
     * @param threadName the name of the runner thread
     * @param log where warnings go
     */
    StatusCommandRunner(Path command, String device, int mtu, Map<String, String> hookEnvironment,
            Duration timeout, String threadName, Logger log) {
        this.command = Objects.requireNonNull(command, "command");
        this.device = Objects.requireNonNull(device, "device");
        this.mtu = mtu;
        this.log = Objects.requireNonNull(log, "log");
        environment(hookEnvironment);
        timeout(timeout);
        this.thread = new Thread(this::serve, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Why {@code command} cannot serve as the status command, or empty when it can: see
     * {@link TrustedExecutable} (a regular executable file that only root or this user can change,
     * through every directory on its way). Checked at start and again before every call, since the
     * file or a directory may change while the tunnel runs.
     */
    static Optional<String> problem(Path command) {
        return TrustedExecutable.problem(command);
    }

    /** Starts the runner thread. */
    void start() {
        thread.start();
    }

    /**
     * Queues one call; never blocks.
     *
     * @param args the arguments after the device name, e.g. {@code ["rtun_up", "adsl"]}
     * @return false when the call was dropped: the queue is full or the runner is finishing
     */
    boolean submit(List<String> args) {
        List<String> copy = List.copyOf(args);
        if (finishing || !queue.offer(copy)) {
            long n = dropped.incrementAndGet();
            log.warn("status command {}: not run ({}; {} dropped so far)", String.join(" ", copy),
                    finishing ? "shutting down" : QUEUE_CAPACITY + " calls already waiting", n);
            return false;
        }
        return true;
    }

    /** Replaces the configured variables; later calls see the new values. */
    void environment(Map<String, String> hookEnvironment) {
        this.hookEnvironment = Map.copyOf(hookEnvironment);
    }

    /** Replaces the time limit of one call; later calls use it. */
    void timeout(Duration timeout) {
        long ms = timeout.toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException("timeout <= 0: " + timeout);
        }
        this.timeoutMillis = ms;
    }

    /**
     * Runs what is queued, then stops the thread. Each waiting call still gets its full time
     * limit; after {@code maxWait} the running call is killed and the rest is dropped.
     *
     * @return true when every queued call ran
     */
    boolean finish(Duration maxWait) {
        finishing = true;
        long deadline = System.nanoTime() + maxWait.toNanos();
        try {
            if (thread.isAlive() && !queue.offer(END, maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                thread.interrupt();
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        int left = queue.size() - (queue.contains(END) ? 1 : 0);
        if (left > 0) {
            dropped.addAndGet(left);
            log.warn("status command: {} call(s) not run before exit", left);
        }
        return !thread.isAlive() && left == 0;
    }

    /** Calls that ran (started), whatever their outcome. */
    long runs() {
        return runs;
    }

    /** Calls that could not start or exited with a non-zero status (kills not included). */
    long failures() {
        return failures;
    }

    /** Calls killed after the time limit. */
    long timeouts() {
        return timeouts;
    }

    /** Calls not run: queue full or shutting down. */
    long dropped() {
        return dropped.get();
    }

    private void serve() {
        try {
            while (true) {
                List<String> args = queue.take();
                if (args == END) {
                    return;
                }
                run(args);
            }
        } catch (InterruptedException e) {
            // finish() gave up waiting; run() has killed the call in progress.
            return;
        }
    }

    private void run(List<String> args) throws InterruptedException {
        List<String> argv = new ArrayList<>(args.size() + 2);
        argv.add(command.toString());
        argv.add(device);
        argv.addAll(args);
        String what = String.join(" ", args);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(ROOT).redirectInput(Redirect.from(DEV_NULL))
                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.putAll(variables());
        long timeout = timeoutMillis;
        Optional<String> problem = problem(command);
        if (problem.isPresent()) {
            runs = runs + 1;
            failures = failures + 1;
            log.warn("status command {}: not run: {}", what, problem.get());
            return;
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            runs = runs + 1;
            failures = failures + 1;
            log.warn("status command {}: cannot run {}: {}", what, command, e.getMessage());
            return;
        }
        runs = runs + 1;
        try {
            if (!p.waitFor(timeout, TimeUnit.MILLISECONDS)) {
                kill(p);
                timeouts = timeouts + 1;
                log.warn("status command {}: killed after {} ms (status.command.timeout)", what, timeout);
                return;
            }
        } catch (InterruptedException e) {
            kill(p);
            log.warn("status command {}: killed at exit", what);
            throw e;
        }
        int status = p.exitValue();
        if (status != 0) {
            failures = failures + 1;
            log.warn("status command {}: exited with status {}", what, status);
        } else if (log.isDebugEnabled()) {
            log.debug("status command {}: done", what);
        }
    }

    /** The variables a call gets on top of the launcher's environment, in MLVPN's order. */
    Map<String, String> variables() {
        Map<String, String> v = new LinkedHashMap<>();
        for (String name : LauncherConfig.HOOK_VARIABLES) {
            v.put(name, hookEnvironment.getOrDefault(name, ""));
        }
        v.put("DEVICE", device);
        v.put("MTU", Integer.toString(mtu));
        return v;
    }

    /** Kills the call and whatever it started, and waits until it is gone. */
    private static void kill(Process p) {
        // The call first, so that it cannot go on once what it waits for dies; its descendants
        // are listed before, while they are still its descendants.
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle h : descendants) {
                h.onExit().get(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Killed with SIGKILL: it goes; only its reaping may lag behind.
        }
    }
}
