package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * The C library functions with a fixed argument list, bound by JNA direct mapping
 * ({@link Native#register}), which is the cheapest call JNA offers. Pointers to packet memory are
 * passed as {@code long} addresses (64-bit only), so the per-packet calls allocate nothing. After a
 * call returns -1, {@link Native#getLastError()} holds its errno. Variadic functions
 * ({@code open}, {@code ioctl}, {@code fcntl}) are in {@link VarargsLibC}: calling them as
 * fixed-argument functions is wrong on Apple arm64.
 *
 * <p>Loading this class loads libc; it throws {@link UnsatisfiedLinkError} where JNA cannot.
 */
public final class LibC {
    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    /** Forces the class to load (and libc to bind), so a failure shows up in the probe. */
    public static void load() {
        // the static initializer does the work
    }

    /** read(2): {@code ssize_t read(int fd, void *buf, size_t nbytes)}. */
    public static native long read(int fd, long buf, long nbytes);

    /** write(2): {@code ssize_t write(int fd, const void *buf, size_t nbytes)}. */
    public static native long write(int fd, long buf, long nbytes);

    /** readv(2): {@code ssize_t readv(int fd, const struct iovec *iov, int iovcnt)}. */
    public static native long readv(int fd, long iov, int iovcnt);

    /** writev(2): {@code ssize_t writev(int fd, const struct iovec *iov, int iovcnt)}. */
    public static native long writev(int fd, long iov, int iovcnt);

    /** poll(2): {@code int poll(struct pollfd fds[], nfds_t nfds, int timeout)}. */
    public static native int poll(long fds, int nfds, int timeoutMillis);

    /** close(2). */
    public static native int close(int fd);

    /** pipe(2): {@code int pipe(int fildes[2])}. */
    public static native int pipe(int[] fildes);

    /** socket(2). */
    public static native int socket(int domain, int type, int protocol);

    /** socketpair(2): {@code int socketpair(int domain, int type, int protocol, int sv[2])}. */
    public static native int socketpair(int domain, int type, int protocol, int[] sv);

    /** connect(2) with a structure as the address. */
    public static native int connect(int fd, Structure address, int addressLength);

    /** getsockopt(2): {@code int getsockopt(int s, int level, int optname, void *optval, socklen_t *optlen)}. */
    public static native int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen);

    /** access(2). */
    public static native int access(String path, int mode);

    /** geteuid(2). */
    public static native int geteuid();
}
