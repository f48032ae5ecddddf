package io.mlvpn.tun.linux.internal;

import com.sun.jna.Native;

/**
 * Errno values of {@code <asm-generic/errno-base.h>} and {@code <asm-generic/errno.h>} (the same
 * on x86-64 and aarch64), their symbolic names, and the one way this module turns a failed call
 * into an exception.
 */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process. */
    public static final int ESRCH = 3;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** I/O error. */
    public static final int EIO = 5;
    /** No such device or address. */
    public static final int ENXIO = 6;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Try again (would block). */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Is a directory. */
    public static final int EISDIR = 21;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** File table overflow. */
    public static final int ENFILE = 23;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** Not a typewriter (inappropriate ioctl). */
    public static final int ENOTTY = 25;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Broken pipe. */
    public static final int EPIPE = 32;
    /** Result out of range (buffer too small). */
    public static final int ERANGE = 34;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Protocol not available (an unknown socket option). */
    public static final int ENOPROTOOPT = 92;
    /** Protocol not supported. */
    public static final int EPROTONOSUPPORT = 93;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Address family not supported by protocol. */
    public static final int EAFNOSUPPORT = 97;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** Network is down. */
    public static final int ENETDOWN = 100;
    /** Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** No buffer space available. */
    public static final int ENOBUFS = 105;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** Connection refused. */
    public static final int ECONNREFUSED = 111;
    /** Host is down. */
    public static final int EHOSTDOWN = 112;
    /** No route to host. */
    public static final int EHOSTUNREACH = 113;

    private static final String[] NAMES = new String[EHOSTUNREACH + 1];

    static {
        NAMES[EPERM] = "EPERM";
        NAMES[ENOENT] = "ENOENT";
        NAMES[ESRCH] = "ESRCH";
        NAMES[EINTR] = "EINTR";
        NAMES[EIO] = "EIO";
        NAMES[ENXIO] = "ENXIO";
        NAMES[EBADF] = "EBADF";
        NAMES[EAGAIN] = "EAGAIN";
        NAMES[ENOMEM] = "ENOMEM";
        NAMES[EACCES] = "EACCES";
        NAMES[EFAULT] = "EFAULT";
        NAMES[EBUSY] = "EBUSY";
        NAMES[EEXIST] = "EEXIST";
        NAMES[ENODEV] = "ENODEV";
        NAMES[EISDIR] = "EISDIR";
        NAMES[EINVAL] = "EINVAL";
        NAMES[ENFILE] = "ENFILE";
        NAMES[EMFILE] = "EMFILE";
        NAMES[ENOTTY] = "ENOTTY";
        NAMES[ENOSPC] = "ENOSPC";
        NAMES[EPIPE] = "EPIPE";
        NAMES[ERANGE] = "ERANGE";
        NAMES[ENOSYS] = "ENOSYS";
        NAMES[EMSGSIZE] = "EMSGSIZE";
        NAMES[ENOPROTOOPT] = "ENOPROTOOPT";
        NAMES[EPROTONOSUPPORT] = "EPROTONOSUPPORT";
        NAMES[EOPNOTSUPP] = "EOPNOTSUPP";
        NAMES[EAFNOSUPPORT] = "EAFNOSUPPORT";
        NAMES[EADDRINUSE] = "EADDRINUSE";
        NAMES[EADDRNOTAVAIL] = "EADDRNOTAVAIL";
        NAMES[ENETDOWN] = "ENETDOWN";
        NAMES[ENETUNREACH] = "ENETUNREACH";
        NAMES[ECONNRESET] = "ECONNRESET";
        NAMES[ENOBUFS] = "ENOBUFS";
        NAMES[ETIMEDOUT] = "ETIMEDOUT";
        NAMES[ECONNREFUSED] = "ECONNREFUSED";
        NAMES[EHOSTDOWN] = "EHOSTDOWN";
        NAMES[EHOSTUNREACH] = "EHOSTUNREACH";
    }

    private Errno() {
    }

    /** The errno the calling thread's last native call left. */
    public static int last() {
        return Native.getLastError();
    }

    /** Symbolic name ({@code EPERM}), or {@code errno N} for a value without one here. */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }

    /**
     * The message for a failed call: {@code ioctl(TUNSETIFF, "mlvpn0"): EPERM (errno 1): Operation
     * not permitted}.
     *
     * @param call the call and its telling arguments, as the message should show them
     * @param description the system's text for the errno ({@code strerror}), or {@code null}
     */
    public static String message(String call, int errno, String description) {
        StringBuilder b = new StringBuilder(call.length() + 48).append(call).append(": ").append(name(errno))
                .append(" (errno ").append(errno).append(')');
        if (description != null && !description.isEmpty()) {
            b.append(": ").append(description);
        }
        return b.toString();
    }

    /** An exception for {@code call} failing with {@code errno}, with the system's text for it. */
    public static NativeIoException exception(String call, int errno) {
        return new NativeIoException(message(call, errno, describe(errno)), errno);
    }

    /** An exception for {@code call} failing with the calling thread's last errno. */
    public static NativeIoException lastException(String call) {
        return exception(call, last());
    }

    private static String describe(int errno) {
        try {
            return LibC.strerror(errno);
        } catch (LinkageError e) {
            return null;
        }
    }
}
