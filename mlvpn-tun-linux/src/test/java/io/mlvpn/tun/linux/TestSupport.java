package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.NativeSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers shared by the tests that need root, iproute2 or the kernel. */
final class TestSupport {
    private TestSupport() {
    }

    static boolean isRoot() {
        return NativeSupport.isAvailable() && LibC.geteuid() == 0;
    }

    static boolean hasIp() {
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            if (Files.isExecutable(Path.of(dir, "ip"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether network-namespace tests can run, and if not, why (for the skip message). */
    static String netnsUnavailableCause() {
        if (!NativeSupport.isAvailable()) {
            return NativeSupport.unavailabilityCause();
        }
        if (!isRoot()) {
            return "needs root to create network namespaces and tun devices";
        }
        if (!hasIp()) {
            return "needs iproute2 (`ip`): apt-get install -y iproute2";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "no /dev/net/tun";
        }
        return null;
    }

    /** Runs a command, returns its output; fails when it exits non-zero or takes over 30 s. */
    static String run(String... command) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(30), command);
    }

    /** Runs a command, returns its output; fails when it exits non-zero or takes over {@code timeout}. */
    static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        Finished f = finish(timeout, command);
        if (f.exit != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + f.exit + ": " + f.output);
        }
        return f.output;
    }

    /** Runs a command and returns its exit code, ignoring its output; fails when it takes over 30 s. */
    static int exitCode(String... command) throws IOException, InterruptedException {
        return finish(Duration.ofSeconds(30), command).exit;
    }

    /** A command's exit code and output (standard output and error together). */
    private record Finished(int exit, String output) {
    }

    /**
     * Runs a command to its end within {@code timeout}, or kills it (and what it started) and
     * fails. The output goes to a file, not a pipe: reading a pipe to its end before waiting would
     * wait for the command however long it runs, and a pipe left unread can block the command.
     */
    private static Finished finish(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("mlvpn-test-command", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", command) + ": timed out after " + timeout.toMillis() + " ms");
            }
            return new Finished(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * Open descriptors of the kinds this module opens (sockets, tun devices, eventfds). Other
     * kinds are left out: the JVM opens and closes jars and /proc files on its own threads at any
     * moment, which made a plain count flaky.
     */
    static long openFdCount() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(TestSupport::ours).count();
        }
    }

    private static boolean ours(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("socket:") || target.equals("/dev/net/tun") || target.contains("eventfd");
        } catch (IOException e) {
            // Closed while listing: not one of ours that leaked.
            return false;
        }
    }

    /** The calling thread's /proc task directory, e.g. /proc/123/task/456. */
    static Path currentTask() throws IOException {
        return Path.of("/proc/thread-self").toRealPath();
    }

    /**
     * Waits (at most 10 s) until the thread whose task directory is given is blocked in poll(2) or
     * ppoll(2), so that a close afterwards really tests waking a blocked call.
     */
    static void awaitBlockedInPoll(Path task) throws IOException, InterruptedException {
        List<String> pollSyscalls = new ArrayList<>(List.of("7", "271", "73")); // x86-64 poll, ppoll; aarch64 ppoll
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = Files.readString(task.resolve("syscall")).trim();
            if (pollSyscalls.contains(last.split(" ")[0])) {
                return;
            }
            // The thread gets there on its own; there is nothing to wait on but its state, so re-check every ms.
            Thread.sleep(1);
        }
        assertEquals("blocked in poll", last, "the reader never blocked in poll(2)");
    }
}
