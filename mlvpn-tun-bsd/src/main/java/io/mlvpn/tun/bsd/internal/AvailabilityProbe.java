package io.mlvpn.tun.bsd.internal;

/**
 * Decides whether this module can open devices here and, if not, says why. The native checks are
 * behind {@link NativeChecks} so that the decision for every system can be tested anywhere.
 * Stateless.
 */
public final class AvailabilityProbe {

    /** The native facts the decision needs. */
    public interface NativeChecks {
        /** Loads libc through JNA; returns {@code null} or why it failed. */
        String loadLibc();

        /** access(2) for reading and writing; 0 or the errno. */
        int accessReadWrite(String path);

        /** Opens a {@code PF_SYSTEM} socket and looks up the utun control; 0 or the errno. */
        int lookUpUtunControl();

        /** The effective user id. */
        int effectiveUserId();
    }

    private AvailabilityProbe() {
    }

    /**
     * Why devices cannot be opened, or {@code null} when they can.
     *
     * @param osName the JVM's {@code os.name}, for the message
     * @param pointerBytes the JVM's native pointer size
     */
    public static String unavailabilityCause(String osName, int pointerBytes, NativeChecks checks) {
        OsFamily os = OsFamily.of(osName);
        if (os == OsFamily.LINUX) {
            return "not a BSD or macOS (os.name=" + osName + "): Linux tun/tap comes from mlvpn-tun-linux";
        }
        if (os == OsFamily.OTHER) {
            return "not FreeBSD, OpenBSD or macOS (os.name=" + osName + ")";
        }
        if (pointerBytes != 8) {
            return "needs a 64-bit JVM (native pointers are " + pointerBytes + " bytes)";
        }
        String loadError = checks.loadLibc();
        if (loadError != null) {
            return "JNA cannot bind libc: " + loadError;
        }
        switch (os) {
            case FREEBSD:
                return accessCause(os, FreeBsdIfTun.CLONE_PATH, checks,
                        " (is if_tuntap loaded? kldload if_tuntap; opening needs root)");
            case OPENBSD:
                return accessCause(os, "/dev/tun0", checks, " (opening needs root)");
            default:
                int errno = checks.lookUpUtunControl();
                if (errno != 0) {
                    return Errno.exception(os, "ioctl(CTLIOCGINFO, \"" + IfUtun.UTUN_CONTROL_NAME + "\")", errno)
                            .getMessage();
                }
                int euid = checks.effectiveUserId();
                return euid == 0 ? null : "utun needs root (effective uid " + euid + ")";
        }
    }

    private static String accessCause(OsFamily os, String path, NativeChecks checks, String hint) {
        int errno = checks.accessReadWrite(path);
        return errno == 0 ? null
                : Errno.exception(os, "access(" + path + ", R_OK|W_OK)", errno).getMessage() + hint;
    }
}
