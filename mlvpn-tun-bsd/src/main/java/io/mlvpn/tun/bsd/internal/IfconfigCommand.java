package io.mlvpn.tun.bsd.internal;

import io.mlvpn.api.device.DeviceType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs the ifconfig(8) command that assigns the configured address, written in the
 * syntax FreeBSD, OpenBSD and macOS share ({@code netmask} and {@code prefixlen} rather than a
 * {@code /prefix} suffix). A point-to-point device (tun, utun) without a configured peer gets its
 * own address as peer, which those systems require. Set-up only.
 */
public final class IfconfigCommand {
    private static final long TIMEOUT_MILLIS = 10_000;

    private IfconfigCommand() {
    }

    /**
     * The command line for one address.
     *
     * @param cidr {@code ADDRESS/PREFIX} (IPv4 or IPv6); without a prefix, a host address
     * @param peer the point-to-point peer, or {@code null}
     * @throws IllegalArgumentException when the address or prefix is malformed
     */
    public static List<String> build(String ifname, DeviceType type, String cidr, String peer) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        boolean v6 = address.indexOf(':') >= 0;
        int maxPrefix = v6 ? 128 : 32;
        int prefix = maxPrefix;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in \"" + cidr + "\"");
            }
        }
        if (prefix < 0 || prefix > maxPrefix) {
            throw new IllegalArgumentException("prefix length outside 0.." + maxPrefix + " in \"" + cidr + "\"");
        }
        if (address.isEmpty() || !address.matches(v6 ? "[0-9A-Fa-f:.]+" : "[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("bad address \"" + cidr + "\"");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("ifconfig");
        cmd.add(ifname);
        cmd.add(v6 ? "inet6" : "inet");
        cmd.add(address);
        boolean pointToPoint = type == DeviceType.TUN;
        if (peer != null) {
            cmd.add(peer);
        } else if (pointToPoint && !v6) {
            cmd.add(address);
        }
        if (v6) {
            cmd.add("prefixlen");
            cmd.add(Integer.toString(prefix));
        } else {
            cmd.add("netmask");
            cmd.add(netmask(prefix));
        }
        return cmd;
    }

    /** The dotted IPv4 netmask of a prefix length ({@code 24} gives {@code 255.255.255.0}). */
    static String netmask(int prefix) {
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return ((mask >>> 24) & 0xff) + "." + ((mask >>> 16) & 0xff) + "." + ((mask >>> 8) & 0xff) + "." + (mask & 0xff);
    }

    /** Runs a command; fails with its output when it fails or takes longer than 10 seconds. */
    public static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            if (!p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit after " + TIMEOUT_MILLIS + " ms");
            }
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + output);
        }
    }
}
