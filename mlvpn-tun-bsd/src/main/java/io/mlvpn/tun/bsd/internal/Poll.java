package io.mlvpn.tun.bsd.internal;

/**
 * Constants of {@code poll.h}; the same on FreeBSD, OpenBSD, macOS and Linux.
 *
 * <pre>
 * #define POLLIN 0x0001   #define POLLOUT 0x0004   #define POLLERR 0x0008
 * #define POLLHUP 0x0010  #define POLLNVAL 0x0020
 * </pre>
 */
public final class Poll {
    /** {@code POLLIN}. */
    public static final short POLLIN = 0x0001;
    /** {@code POLLOUT}. */
    public static final short POLLOUT = 0x0004;
    /** {@code POLLERR}. */
    public static final short POLLERR = 0x0008;
    /** {@code POLLHUP}. */
    public static final short POLLHUP = 0x0010;
    /** {@code POLLNVAL}. */
    public static final short POLLNVAL = 0x0020;

    private Poll() {
    }
}
