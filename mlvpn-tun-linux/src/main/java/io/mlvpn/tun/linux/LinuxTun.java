package io.mlvpn.tun.linux;

import io.mlvpn.tun.linux.internal.Capability;
import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.Fcntl;
import io.mlvpn.tun.linux.internal.IfTun;
import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.NativeSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Whether Linux tun/tap devices can be created here, and if not, why. Probed once, on first use,
 * by really opening and closing {@code /dev/net/tun} and checking that the probing thread holds
 * {@code CAP_NET_ADMIN} (needed to create an interface). The launcher shows
 * {@link #unavailabilityCause()}; tests skip with it. Safe for concurrent use.
 */
public final class LinuxTun {
    private static final String CAUSE = probe(IfTun.CLONE_DEVICE, Paths.get("/proc/thread-self/status"));

    private LinuxTun() {
    }

    /** True when a tun/tap device can be opened. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /**
     * Does nothing when available.
     *
     * @throws IOException carrying {@link #unavailabilityCause()} otherwise
     */
    public static void ensureAvailability() throws IOException {
        if (CAUSE != null) {
            throw new IOException("Linux tun/tap unavailable: " + CAUSE);
        }
    }

    /**
     * Why {@link #isAvailable()} is false (not Linux, JNA cannot load, no {@code /dev/net/tun}, it
     * cannot be opened, no {@code CAP_NET_ADMIN}), or {@code "available"}.
     */
    public static String unavailabilityCause() {
        return CAUSE == null ? "available" : CAUSE;
    }

    /** The probe, against the given clone device and task status file; null when available. */
    static String probe(String device, Path status) {
        if (!NativeSupport.isAvailable()) {
            return NativeSupport.unavailabilityCause();
        }
        if (!Files.exists(Paths.get(device))) {
            return "no " + device + " (the tun module is not loaded: modprobe tun)";
        }
        int fd = LibC.open(device, Fcntl.O_RDWR | Fcntl.O_CLOEXEC);
        if (fd < 0) {
            return Errno.lastException("open(" + device + ")").getMessage();
        }
        LibC.close(fd);
        String text;
        try {
            text = Files.readString(status, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "cannot read " + status + " to check CAP_NET_ADMIN: " + e.getMessage();
        }
        if (!hasEffectiveCapability(text, Capability.CAP_NET_ADMIN)) {
            return "no CAP_NET_ADMIN (needed to create a tun/tap interface: run as root or grant the capability)";
        }
        return null;
    }

    /** Whether the {@code CapEff:} line of a {@code /proc/.../status} text has capability {@code cap}. */
    static boolean hasEffectiveCapability(String statusText, int cap) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long set = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                return (set & (1L << cap)) != 0;
            }
        }
        return false;
    }
}
