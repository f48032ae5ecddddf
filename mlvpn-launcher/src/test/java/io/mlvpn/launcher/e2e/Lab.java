package io.mlvpn.launcher.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code benchmarks/e2e/lab.sh} from Java: one lab (two namespaces, N veth links) under its own
 * {@code LAB_ID}, and the commands the tests need. {@link #close()} always tears it down.
 */
final class Lab implements AutoCloseable {
    /** Commands the lab and the tests run. */
    private static final List<String> TOOLS =
            List.of("ip", "tc", "nft", "ss", "iperf3", "ping", "setsid", "sha1sum", "timeout", "kill");

    private final String id;
    private final Path labSh;
    private final Path workDir;

    /** The output and exit status of a command. */
    record Result(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    private Lab(String id, Path labSh, Path workDir) {
        this.id = id;
        this.labSh = labSh;
        this.workDir = workDir;
    }

    /** The repository root (system property {@code mlvpn.repo}, set by the build). */
    static Path repo() {
        return Path.of(System.getProperty("mlvpn.repo", "..")).toAbsolutePath().normalize();
    }

    /** The launcher jar (system property {@code mlvpn.jar}, set by the build). */
    static Path jar() {
        return Path.of(System.getProperty("mlvpn.jar", "target/mlvpn-launcher.jar")).toAbsolutePath().normalize();
    }

    /** Why the end-to-end tests cannot run here, or empty when they can. */
    static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.of("end-to-end tests need Linux network namespaces (os.name="
                    + System.getProperty("os.name") + ")");
        }
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            if (!status.lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"))) {
                return Optional.of("end-to-end tests need root (network namespaces, tun devices); run as root"
                        + " or in CI");
            }
        } catch (IOException e) {
            return Optional.of("cannot read /proc/self/status: " + e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            if (run(List.of("sh", "-c", "command -v " + tool), Map.of(), 10).status() != 0) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("missing commands " + missing + ": apt-get install -y iproute2 nftables iperf3"
                    + " iputils-ping");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Optional.of("no /dev/net/tun: the kernel has no tun driver here");
        }
        return Optional.empty();
    }

    /**
     * Brings a lab up: {@code links} veth links at {@code rates} (lab.sh syntax).
     *
     * @param id a lab id unique to the test class
     */
    static Lab up(String id, int links, String rates) {
        Path work = jar().getParent().resolve("e2e").resolve(id);
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lab lab = new Lab(id, repo().resolve("benchmarks/e2e/lab.sh"), work);
        lab.sh(60, "down");
        Result r = lab.sh(60, "up", Integer.toString(links), rates);
        if (!r.ok()) {
            throw new IllegalStateException("lab.sh up failed: " + r.output());
        }
        return lab;
    }

    /** The directory for this lab's files and logs (kept after the test for reading). */
    Path workDir() {
        return workDir;
    }

    /** Runs lab.sh with this lab's id. */
    Result sh(int timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(labSh.toString());
        cmd.addAll(List.of(args));
        return run(cmd, Map.of("LAB_ID", id), timeoutSeconds);
    }

    /** Runs lab.sh and fails the test when it fails; returns its output, trimmed. */
    String must(int timeoutSeconds, String... args) {
        Result r = sh(timeoutSeconds, args);
        if (!r.ok()) {
            throw new AssertionError("lab.sh " + String.join(" ", args) + " failed (" + r.status() + "): "
                    + r.output());
        }
        return r.output().trim();
    }

    /** Link {@code i}'s address on side c or s. */
    String addr(int i, char side) {
        return must(10, "addr", Integer.toString(i), String.valueOf(side));
    }

    /** Link {@code i}'s veth name on side c or s. */
    String dev(int i, char side) {
        return must(10, "dev", Integer.toString(i), String.valueOf(side));
    }

    void cut(int i) {
        must(20, "cut", Integer.toString(i));
    }

    void heal(int i) {
        must(20, "heal", Integer.toString(i));
    }

    /** Runs a command in namespace c or s, waiting at most {@code timeoutSeconds}. */
    Result exec(char ns, int timeoutSeconds, String... cmd) {
        List<String> args = new ArrayList<>(List.of("exec", String.valueOf(ns)));
        args.addAll(List.of(cmd));
        return sh(timeoutSeconds, args.toArray(new String[0]));
    }

    /** Starts {@code cmd} in the background in namespace c or s; returns its PID. */
    long spawn(char ns, String name, Path log, String... cmd) {
        List<String> args = new ArrayList<>(List.of("spawn", String.valueOf(ns), name, log.toString()));
        args.addAll(List.of(cmd));
        List<String> lines = must(30, args.toArray(new String[0])).lines().toList();
        return Long.parseLong(lines.get(lines.size() - 1).trim());
    }

    /** TERM (then KILL after the grace period) a spawned process and wait until it is gone. */
    void stop(String name) {
        must(30, "stop", name);
    }

    /** A counter of an interface in a namespace, from sysfs (e.g. {@code tx_bytes}). */
    long counter(char ns, String device, String name) {
        Result r = exec(ns, 10, "cat", "/sys/class/net/" + device + "/statistics/" + name);
        if (!r.ok()) {
            throw new AssertionError("cannot read " + name + " of " + device + ": " + r.output());
        }
        return Long.parseLong(r.output().trim());
    }

    @Override
    public void close() {
        Result r = sh(120, "down");
        if (!r.ok()) {
            throw new IllegalStateException("lab.sh down failed: " + r.output());
        }
    }

    /** Runs a command with extra environment, output and errors together. */
    static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile("mlvpn-it", ".out");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null"))).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor();
                    return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd) + "\n"
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
