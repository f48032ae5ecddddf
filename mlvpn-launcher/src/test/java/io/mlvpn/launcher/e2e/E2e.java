package io.mlvpn.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the end-to-end tests share: key and properties files as {@code benchmarks/e2e/run.sh}
 * writes them (tunnel 10.78.0.1 client, 10.78.0.2 server; link I on 10.77.I.0/30, server port
 * 5080+I), a recording status command, waiting for the tunnel, and iperf3.
 */
final class E2e {
    static final String TUN_CLIENT = "10.78.0.1";
    static final String TUN_SERVER = "10.78.0.2";
    static final String DEVICE = "mlvpn-e2e";
    static final int IPERF_PORT = 5201;
    /** Fast failure detection, so a cut link goes down within 2 s. */
    static final String FAST = "keepalive.interval=200ms\ntimeout=2s\n";

    private E2e() {
    }

    /** A new key file made by the launcher's {@code genkey}. */
    static Path key(Lab lab, String name) {
        Path key = lab.workDir().resolve(name);
        try {
            Files.deleteIfExists(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lab.Result r = Lab.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Lab.jar().toString(), "genkey", key.toString()), Map.of(), 60);
        assertEquals(0, r.status(), "genkey: " + r.output());
        return key;
    }

    /** Client properties for links {@code links} (1-based lab link numbers) plus {@code extra} lines. */
    static Path client(Lab lab, String file, Path key, List<Integer> links, String extra) {
        StringBuilder b = new StringBuilder("mode=client\nkey.file=" + key + "\ninterface.name=" + DEVICE
                + "\ninterface.type=tun\ninterface.address=" + TUN_CLIENT + "/30\ninterface.peer=" + TUN_SERVER + "\n");
        for (int i : links) {
            b.append("link.l").append(i).append(".bind.host=").append(lab.addr(i, 'c')).append('\n');
            b.append("link.l").append(i).append(".remote.host=").append(lab.addr(i, 's')).append('\n');
            b.append("link.l").append(i).append(".remote.port=").append(5080 + i).append('\n');
        }
        return write(lab.workDir().resolve(file), b + extra);
    }

    /** Server properties for links {@code links} plus {@code extra} lines. */
    static Path server(Lab lab, String file, Path key, List<Integer> links, String extra) {
        StringBuilder b = new StringBuilder("mode=server\nkey.file=" + key + "\ninterface.name=" + DEVICE
                + "\ninterface.type=tun\ninterface.address=" + TUN_SERVER + "/30\ninterface.peer=" + TUN_CLIENT + "\n");
        for (int i : links) {
            b.append("link.l").append(i).append(".bind.host=").append(lab.addr(i, 's')).append('\n');
            b.append("link.l").append(i).append(".bind.port=").append(5080 + i).append('\n');
        }
        return write(lab.workDir().resolve(file), b + extra);
    }

    static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A status command that appends {@code ARGS|DEVICE=.. MTU=.. IP4=.. IP4_GATEWAY=.. PWD=.. dev=present|absent}
     * per call to {@code NAME.calls}; {@code dev} says whether the device still existed.
     */
    static Path statusScript(Lab lab, String name) {
        Path script = lab.workDir().resolve(name + ".sh");
        Path calls = calls(lab, name);
        String ip = Lab.run(List.of("sh", "-c", "command -v ip"), Map.of(), 10).output().trim();
        String text = "#!/bin/sh\n"
                + "if " + ip + " link show \"$DEVICE\" >/dev/null 2>&1; then dev=present; else dev=absent; fi\n"
                + "echo \"$*|DEVICE=$DEVICE MTU=$MTU IP4=$IP4 IP4_GATEWAY=$IP4_GATEWAY PWD=$(pwd) dev=$dev\" >> '"
                + calls + "'\n";
        try {
            Files.deleteIfExists(calls);
            Files.writeString(script, text);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    static Path calls(Lab lab, String name) {
        return lab.workDir().resolve(name + ".calls");
    }

    /** The recorded calls' arguments ({@code mlvpn-e2e rtun_up l1}), in order. */
    static List<String> callArgs(Path calls) {
        return callLines(calls).stream().map(l -> l.substring(0, l.indexOf('|'))).toList();
    }

    static List<String> callLines(Path calls) {
        try {
            return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} every 100 ms; fails naming {@code what} after {@code seconds}. */
    static void waitUntil(BooleanSupplier condition, int seconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + seconds + " s: " + what);
            }
            Launcher.pause(100);
        }
    }

    static boolean ping(Lab lab, String addr) {
        return lab.exec('c', 10, "ping", "-n", "-q", "-c", "1", "-W", "1", addr).ok();
    }

    /** Waits until the server's tunnel address answers the client; fails early when a launcher died. */
    static void awaitTunnel(Lab lab, int seconds, Launcher... launchers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ping(lab, TUN_SERVER)) {
            for (Launcher l : launchers) {
                if (!l.alive()) {
                    fail(l.name() + " ended while waiting for the tunnel; log:\n" + l.log());
                }
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (Launcher l : launchers) {
                    logs.append("\n---- ").append(l.name()).append(" ----\n").append(l.log());
                }
                fail("the tunnel did not answer within " + seconds + " s" + logs);
            }
            Launcher.pause(200);
        }
    }

    /** An iperf3 server in the server namespace, listening on every address. */
    static void startIperfServer(Lab lab) {
        lab.spawn('s', "iperf3-server", lab.workDir().resolve("iperf3-server.log"), "iperf3", "-s", "-p",
                Integer.toString(IPERF_PORT));
        waitUntil(() -> !lab.exec('s', 10, "ss", "-Hltn", "sport = :" + IPERF_PORT).output().isBlank(), 10,
                "iperf3 server listening");
    }

    /** What an iperf3 TCP run gave. */
    record Iperf(int status, double receivedMbit, long receivedBytes, String output) {
    }

    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    /** iperf3 TCP client to server over the tunnel for {@code seconds}. */
    static Iperf iperf(Lab lab, int seconds) {
        Lab.Result r = lab.exec('c', seconds + 60, "iperf3", "-c", TUN_SERVER, "-p", Integer.toString(IPERF_PORT),
                "-t", Integer.toString(seconds), "-J");
        Matcher m = RECEIVED.matcher(r.output());
        if (r.status() != 0 || !m.find()) {
            return new Iperf(r.status() == 0 ? -2 : r.status(), 0, 0, r.output());
        }
        return new Iperf(0, Double.parseDouble(m.group(2)) / 1e6, Long.parseLong(m.group(1)), r.output());
    }
}
