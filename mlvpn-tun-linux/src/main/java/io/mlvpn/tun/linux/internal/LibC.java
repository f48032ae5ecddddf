package io.mlvpn.tun.linux.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The libc functions this module calls, bound by JNA direct mapping ({@link Native#register}),
 * which costs less per call than interface mapping.
 *
 * <p>Every function returns -1 (or a negative count) on failure and leaves the cause in
 * {@link Native#getLastError()}; callers turn that into an {@link java.io.IOException} through
 * {@link Errno}. Buffer addresses on the data path are passed as {@code long} so that a call
 * allocates nothing; the caller keeps the buffer reachable until the call returns
 * ({@link java.lang.ref.Reference#reachabilityFence}). Loading this class fails with a
 * {@link LinkageError} when JNA or libc cannot be loaded; {@link NativeSupport} probes that.
 * Types are those of LP64 Linux (x86-64, aarch64): {@code size_t}, {@code ssize_t} and
 * {@code unsigned long} are {@code long}.
 */
public final class LibC {
    static {
        Native.register("c");
    }

    private LibC() {
    }

    /** <a href="https://man7.org/linux/man-pages/man2/open.2.html">open(2)</a>. */
    public static native int open(String path, int flags);

    /** <a href="https://man7.org/linux/man-pages/man2/close.2.html">close(2)</a>. */
    public static native int close(int fd);

    /** <a href="https://man7.org/linux/man-pages/man2/read.2.html">read(2)</a> into native memory at {@code address}. */
    public static native long read(int fd, long address, long count);

    /** <a href="https://man7.org/linux/man-pages/man2/write.2.html">write(2)</a> from native memory at {@code address}. */
    public static native long write(int fd, long address, long count);

    /**
     * Returns its first argument: the native address of {@code buffer} at its current position.
     * Used as {@code memset(buffer, 0, 0)} to learn a direct buffer's address without allocating.
     */
    public static native long memset(java.nio.ByteBuffer buffer, int value, long count);

    /** <a href="https://man7.org/linux/man-pages/man2/ioctl.2.html">ioctl(2)</a> with a {@code struct ifreq}. */
    public static native int ioctl(int fd, long request, Ifreq ifr);

    /** ioctl(2) whose argument is a plain value ({@code TUNSETOFFLOAD}). */
    public static native int ioctl(int fd, long request, long value);

    /** ioctl(2) whose argument points to an {@code int} ({@code TUNSETVNETHDRSZ}). */
    public static native int ioctl(int fd, long request, int[] value);

    /** ioctl(2) with a {@code struct in6_ifreq}. */
    public static native int ioctl(int fd, long request, In6Ifreq ifr);

    /** <a href="https://man7.org/linux/man-pages/man2/socket.2.html">socket(2)</a>. */
    public static native int socket(int domain, int type, int protocol);

    /** <a href="https://man7.org/linux/man-pages/man2/setsockopt.2.html">setsockopt(2)</a> with an int option. */
    public static native int setsockopt(int fd, int level, int name, int[] value, int length);

    /** setsockopt(2) with a byte-string option (an interface name). */
    public static native int setsockopt(int fd, int level, int name, byte[] value, int length);

    /** <a href="https://man7.org/linux/man-pages/man2/getsockopt.2.html">getsockopt(2)</a> of an int option. */
    public static native int getsockopt(int fd, int level, int name, int[] value, int[] length);

    /** <a href="https://man7.org/linux/man-pages/man2/bind.2.html">bind(2)</a>. */
    public static native int bind(int fd, Pointer address, int length);

    /** <a href="https://man7.org/linux/man-pages/man2/getsockname.2.html">getsockname(2)</a>. */
    public static native int getsockname(int fd, Pointer address, int[] length);

    /** <a href="https://man7.org/linux/man-pages/man2/recvfrom.2.html">recvfrom(2)</a>; all pointers are addresses. */
    public static native long recvfrom(int fd, long buffer, long length, int flags, long source, long sourceLength);

    /** <a href="https://man7.org/linux/man-pages/man2/sendto.2.html">sendto(2)</a>; pointers are addresses. */
    public static native long sendto(int fd, long buffer, long length, int flags, long destination, int destinationLength);

    /**
     * <a href="https://man7.org/linux/man-pages/man2/recvmmsg.2.html">recvmmsg(2)</a>: up to
     * {@code vlen} datagrams into the {@code struct mmsghdr} array at {@code messages};
     * {@code timeout} is a {@code struct timespec} address or 0.
     */
    public static native int recvmmsg(int fd, long messages, int vlen, int flags, long timeout);

    /**
     * <a href="https://man7.org/linux/man-pages/man2/sendmmsg.2.html">sendmmsg(2)</a>: up to
     * {@code vlen} datagrams from the {@code struct mmsghdr} array at {@code messages}.
     */
    public static native int sendmmsg(int fd, long messages, int vlen, int flags);

    /** <a href="https://man7.org/linux/man-pages/man2/poll.2.html">poll(2)</a> on {@code count} pollfd at {@code fds}. */
    public static native int poll(long fds, long count, int timeoutMillis);

    /** <a href="https://man7.org/linux/man-pages/man2/eventfd.2.html">eventfd(2)</a>. */
    public static native int eventfd(int initialValue, int flags);

    /** <a href="https://man7.org/linux/man-pages/man2/prctl.2.html">prctl(2)</a>. */
    public static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** <a href="https://man7.org/linux/man-pages/man2/capset.2.html">capset(2)</a>: header and two data structs. */
    public static native int capset(Pointer header, Pointer data);

    /** <a href="https://man7.org/linux/man-pages/man2/capget.2.html">capget(2)</a>. */
    public static native int capget(Pointer header, Pointer data);

    /** <a href="https://man7.org/linux/man-pages/man3/getpwnam_r.3.html">getpwnam_r(3)</a>; returns an errno, not -1. */
    public static native int getpwnam_r(String name, Structure passwd, Pointer buffer, long length, Pointer result);

    /** <a href="https://man7.org/linux/man-pages/man3/initgroups.3.html">initgroups(3)</a>; applies to every thread. */
    public static native int initgroups(String user, int group);

    /** <a href="https://man7.org/linux/man-pages/man2/setresgid.2.html">setresgid(2)</a>; glibc applies it to every thread. */
    public static native int setresgid(int real, int effective, int saved);

    /** <a href="https://man7.org/linux/man-pages/man2/setresuid.2.html">setresuid(2)</a>; glibc applies it to every thread. */
    public static native int setresuid(int real, int effective, int saved);

    /** <a href="https://man7.org/linux/man-pages/man2/geteuid.2.html">geteuid(2)</a> of the calling thread. */
    public static native int geteuid();

    /** <a href="https://man7.org/linux/man-pages/man3/strerror.3.html">strerror(3)</a>. */
    public static native String strerror(int errno);
}
