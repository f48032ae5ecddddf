package io.mlvpn.tun.linux.internal;

/** Open flags of {@code <fcntl.h>} and eventfd flags of {@code <sys/eventfd.h>}. */
public final class Fcntl {
    /** Read and write. */
    public static final int O_RDWR = 2;
    /** Non-blocking. */
    public static final int O_NONBLOCK = 0x800;
    /** Close on exec. */
    public static final int O_CLOEXEC = 0x80000;
    /** eventfd: non-blocking. */
    public static final int EFD_NONBLOCK = 0x800;
    /** eventfd: close on exec. */
    public static final int EFD_CLOEXEC = 0x80000;

    private Fcntl() {
    }
}
