package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The variadic C library functions, bound through a JNA interface whose Java varargs tell JNA
 * which arguments are variadic (Apple arm64 passes those on the stack). Used only while opening and
 * configuring a device, never per packet. After a call returns -1,
 * {@link Native#getLastError()} holds its errno.
 */
public interface VarargsLibC extends Library {
    /** The bound library; loading it throws {@link UnsatisfiedLinkError} where JNA cannot. */
    VarargsLibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, VarargsLibC.class);

    /** open(2): {@code int open(const char *path, int flags, ...)}. */
    int open(String path, int flags, Object... mode);

    /** ioctl(2): {@code int ioctl(int fd, unsigned long request, ...)}. */
    int ioctl(int fd, NativeLong request, Object... argument);

    /** fcntl(2): {@code int fcntl(int fd, int cmd, ...)}. */
    int fcntl(int fd, int cmd, Object... argument);
}
