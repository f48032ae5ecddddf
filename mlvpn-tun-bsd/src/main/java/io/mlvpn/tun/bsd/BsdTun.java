package io.mlvpn.tun.bsd;

import io.mlvpn.tun.bsd.internal.AvailabilityProbe;
import io.mlvpn.tun.bsd.internal.RealNativeChecks;

/**
 * Whether BSD/macOS devices can be opened on this machine, probed once on first use: the
 * operating system (FreeBSD, OpenBSD or macOS), a 64-bit JVM, JNA binding libc, and then the
 * device itself: read-write access to {@code /dev/tun} (FreeBSD) or {@code /dev/tun0} (OpenBSD),
 * or the utun kernel control and root (macOS). No interface is created by the probe. Safe for
 * concurrent use.
 *
 * <pre>{@code
 * assumeTrue(BsdTun.isAvailable(), () -> "bsd tun unavailable: " + BsdTun.unavailabilityCause());
 * }</pre>
 */
public final class BsdTun {
    private static final String CAUSE = probe();

    private BsdTun() {
    }

    private static String probe() {
        try {
            RealNativeChecks checks = new RealNativeChecks();
            return AvailabilityProbe.unavailabilityCause(System.getProperty("os.name", ""), checks.pointerSize(),
                    checks);
        } catch (LinkageError | RuntimeException e) {
            return "probe failed: " + e;
        }
    }

    /** True when devices can be opened here. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /**
     * Does nothing when available.
     *
     * @throws UnsupportedOperationException with the cause, when not available
     */
    public static void ensureAvailability() {
        if (CAUSE != null) {
            throw new UnsupportedOperationException("bsd-tun unavailable: " + CAUSE);
        }
    }

    /** Why devices cannot be opened here, or {@code "available"}. */
    public static String unavailabilityCause() {
        return CAUSE == null ? "available" : CAUSE;
    }
}
