package io.mlvpn.tun.bsd.internal;

import java.io.IOException;

/**
 * Error numbers of {@code sys/errno.h} and the {@link IOException}s built from them. Numbers 1 to
 * 66 are the 4.4BSD values, shared by FreeBSD, OpenBSD and macOS; Linux (where the tests run the
 * I/O loop) agrees up to 34 except for 11. Messages look like
 * {@code ioctl(TUNSIFHEAD, "tun0"): EPERM (errno 1)}.
 */
public final class Errno {
    /** {@code EINTR}, everywhere. */
    public static final int EINTR = 4;
    /** {@code EBUSY}, everywhere. */
    public static final int EBUSY = 16;
    /** {@code EAGAIN} on the BSDs and macOS. */
    public static final int BSD_EAGAIN = 35;
    /** {@code EAGAIN} on Linux. */
    public static final int LINUX_EAGAIN = 11;

    private static final String[] BSD_NAMES = {
        null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
        "ECHILD", "EDEADLK", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV",
        "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
        "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EAGAIN", "EINPROGRESS",
        "EALREADY", "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT",
        "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT", "EAFNOSUPPORT",
        "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED",
        "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT",
        "ECONNREFUSED", "ELOOP", "ENAMETOOLONG", "EHOSTDOWN", "EHOSTUNREACH", "ENOTEMPTY",
    };

    private Errno() {
    }

    /** {@code ENOBUFS} on the BSDs and macOS. */
    public static final int BSD_ENOBUFS = 55;
    /** {@code ENOBUFS} on Linux. */
    public static final int LINUX_ENOBUFS = 105;

    /** {@code ECONNREFUSED} on Linux. */
    public static final int LINUX_ECONNREFUSED = 111;

    /** {@code ENOBUFS} of the given system. */
    public static int enobufs(OsFamily os) {
        return os == OsFamily.LINUX ? LINUX_ENOBUFS : BSD_ENOBUFS;
    }

    /** {@code EAGAIN} of the given system. */
    public static int eagain(OsFamily os) {
        return os == OsFamily.LINUX ? LINUX_EAGAIN : BSD_EAGAIN;
    }

    /** The symbolic name of {@code errno} on the given system, or {@code "unknown error"}. */
    public static String name(OsFamily os, int errno) {
        if (os == OsFamily.LINUX) {
            if (errno == LINUX_EAGAIN) {
                return "EAGAIN";
            }
            if (errno == LINUX_ENOBUFS) {
                return "ENOBUFS";
            }
            if (errno == LINUX_ECONNREFUSED) {
                return "ECONNREFUSED";
            }
            if (errno > 34) {
                return "unknown error";
            }
        }
        return errno > 0 && errno < BSD_NAMES.length ? BSD_NAMES[errno] : "unknown error";
    }

    /**
     * The exception for a failed call.
     *
     * @param call what failed with its arguments, as in {@code ioctl(TUNSIFHEAD, "tun0")}
     */
    public static IOException exception(OsFamily os, String call, int errno) {
        return new IOException(call + ": " + name(os, errno) + " (errno " + errno + ")");
    }
}
