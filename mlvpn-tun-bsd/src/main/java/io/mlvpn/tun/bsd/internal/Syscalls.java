package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;

/**
 * Thin wrappers over the set-up system calls: each failure becomes an {@link IOException} naming
 * the call, its arguments and the errno. Not used per packet (see {@link PacketIo}). Stateless.
 */
public final class Syscalls {
    private final OsFamily os;

    /** Wrappers that name errnos as the given system does. */
    public Syscalls(OsFamily os) {
        this.os = os;
    }

    /** The system whose errno names are used. */
    public OsFamily os() {
        return os;
    }

    /** open(2) read-write; returns the fd. */
    public int openReadWrite(String path) throws IOException {
        int fd = VarargsLibC.INSTANCE.open(path, Fcntl.O_RDWR);
        if (fd < 0) {
            throw Errno.exception(os, "open(" + path + ", O_RDWR)", Native.getLastError());
        }
        return fd;
    }

    /** The errno of an open(2) that failed, or -1 with {@code fdOut[0]} set when it succeeded. */
    public int tryOpenReadWrite(String path, int[] fdOut) {
        int fd = VarargsLibC.INSTANCE.open(path, Fcntl.O_RDWR);
        if (fd < 0) {
            return Native.getLastError();
        }
        fdOut[0] = fd;
        return -1;
    }

    /** ioctl(2) with a structure argument, written before and read back after the call. */
    public void ioctl(int fd, long request, String requestName, String target, Structure argument)
            throws IOException {
        argument.write();
        int r = VarargsLibC.INSTANCE.ioctl(fd, new NativeLong(request), argument.getPointer());
        if (r < 0) {
            throw Errno.exception(os, "ioctl(" + requestName + ", \"" + target + "\")", Native.getLastError());
        }
        argument.read();
    }

    /** ioctl(2) with a pointer to an int. */
    public void ioctlInt(int fd, long request, String requestName, String target, int value) throws IOException {
        IntByReference ref = new IntByReference(value);
        int r = VarargsLibC.INSTANCE.ioctl(fd, new NativeLong(request), ref.getPointer());
        if (r < 0) {
            throw Errno.exception(os, "ioctl(" + requestName + ", \"" + target + "\", " + value + ")",
                    Native.getLastError());
        }
    }

    /** Sets {@code O_NONBLOCK} and {@code FD_CLOEXEC} on a descriptor. */
    public void makeNonBlockingCloseOnExec(int fd, String target) throws IOException {
        int flags = VarargsLibC.INSTANCE.fcntl(fd, Fcntl.F_GETFL);
        if (flags < 0) {
            throw Errno.exception(os, "fcntl(F_GETFL, \"" + target + "\")", Native.getLastError());
        }
        if (VarargsLibC.INSTANCE.fcntl(fd, Fcntl.F_SETFL, flags | Fcntl.oNonblock(os)) < 0) {
            throw Errno.exception(os, "fcntl(F_SETFL, O_NONBLOCK, \"" + target + "\")", Native.getLastError());
        }
        if (VarargsLibC.INSTANCE.fcntl(fd, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC) < 0) {
            throw Errno.exception(os, "fcntl(F_SETFD, FD_CLOEXEC, \"" + target + "\")", Native.getLastError());
        }
    }

    /** socket(2); returns the fd. */
    public int socket(int domain, int type, int protocol, String what) throws IOException {
        int fd = LibC.socket(domain, type, protocol);
        if (fd < 0) {
            throw Errno.exception(os, "socket(" + what + ")", Native.getLastError());
        }
        return fd;
    }

    /** pipe(2); returns {read end, write end}. */
    public int[] pipe() throws IOException {
        int[] fds = new int[2];
        if (LibC.pipe(fds) < 0) {
            throw Errno.exception(os, "pipe()", Native.getLastError());
        }
        return fds;
    }

    /** close(2); returns 0 or the errno, for callers that must go on closing. */
    public static int closeQuietly(int fd) {
        if (fd < 0) {
            return 0;
        }
        return LibC.close(fd) < 0 ? Native.getLastError() : 0;
    }
}
