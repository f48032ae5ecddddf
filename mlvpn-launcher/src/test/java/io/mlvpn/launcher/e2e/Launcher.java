package io.mlvpn.launcher.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code java -jar mlvpn-launcher.jar CONFIG} started in a lab namespace through
 * {@code lab.sh spawn}, wrapped in a shell that writes {@code launcher exit status N} to the log
 * when the launcher ends, so a test can check the exit status of a process that is not its child.
 */
final class Launcher {
    private static final Pattern EXIT = Pattern.compile("(?m)^launcher exit status (\\d+)$");

    private final Lab lab;
    private final String name;
    private final Path log;
    private final long wrapperPid;

    private Launcher(Lab lab, String name, Path log, long wrapperPid) {
        this.lab = lab;
        this.name = name;
        this.log = log;
        this.wrapperPid = wrapperPid;
    }

    /** Starts the launcher on {@code config} in namespace c or s, logging to {@code NAME.log}. */
    static Launcher start(Lab lab, char ns, String name, Path config, String... options) {
        Path log = lab.workDir().resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder cmd = new StringBuilder("\"$0\" -jar \"$1\"");
        for (int i = 0; i < options.length; i++) {
            cmd.append(" \"${").append(i + 3).append("}\"");
        }
        cmd.append(" \"$2\"; echo \"launcher exit status $?\"");
        List<String> args = new java.util.ArrayList<>(List.of("bash", "-c", cmd.toString(), java,
                Lab.jar().toString(), config.toString()));
        args.addAll(List.of(options));
        long pid = lab.spawn(ns, name, log, args.toArray(new String[0]));
        return new Launcher(lab, name, log, pid);
    }

    /** The launcher's log so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the launcher (its wrapper) is still running. */
    boolean alive() {
        return ProcessHandle.of(wrapperPid).map(ProcessHandle::isAlive).orElse(false) && !EXIT.matcher(log()).find();
    }

    /** The JVM's PID: the wrapper's child. */
    long javaPid() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = ProcessHandle.of(wrapperPid).flatMap(h -> h.children().findFirst());
            if (child.isPresent()) {
                return child.get().pid();
            }
            pause(50);
        }
        return fail(name + ": no launcher process under pid " + wrapperPid + "; log:\n" + log());
    }

    /** Sends a signal ({@code HUP}, {@code TERM}) to the launcher's JVM. */
    void signal(String signal) {
        Lab.Result r = Lab.run(List.of("kill", "-s", signal, Long.toString(javaPid())), java.util.Map.of(), 10);
        if (!r.ok()) {
            fail("kill -s " + signal + " " + name + ": " + r.output());
        }
    }

    /** SIGTERM, then waits for the exit (30 s at most) and returns the exit status. */
    int terminate() {
        signal("TERM");
        return awaitExit(30);
    }

    /** Waits until the launcher ends on its own and returns its exit status. */
    int awaitExit(int seconds) {
        Optional<ProcessHandle> h = ProcessHandle.of(wrapperPid);
        if (h.isPresent()) {
            try {
                h.get().onExit().get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                lab.stop(name);
                fail(name + " still running " + seconds + " s later; log:\n" + log());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            } catch (ExecutionException e) {
                fail(e.getCause());
            }
        }
        Matcher m = EXIT.matcher(log());
        if (!m.find()) {
            return fail(name + " ended without an exit status line; log:\n" + log());
        }
        return Integer.parseInt(m.group(1));
    }

    /** Stops it the lab's way (TERM to the group, KILL after the grace period); for cleanup. */
    void kill() {
        lab.sh(30, "stop", name);
    }

    /**
     * Pauses the test thread. Used where the test waits for something outside the JVM (a process,
     * the kernel, a peer) that offers no event to wait on; every caller polls a condition.
     */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String name() {
        return name;
    }
}
