package io.mlvpn.tun.linux.internal;

/**
 * Constants and layout of {@code <poll.h>}: {@code struct pollfd { int fd; short events; short
 * revents; }}, 8 bytes (checked against {@link Pollfd} by the layout test).
 */
public final class Poll {
    /** Readable. */
    public static final short POLLIN = 0x1;
    /** Writable. */
    public static final short POLLOUT = 0x4;
    /** Error. */
    public static final short POLLERR = 0x8;
    /** Hang-up. */
    public static final short POLLHUP = 0x10;
    /** Invalid fd. */
    public static final short POLLNVAL = 0x20;
    /** sizeof(struct pollfd). */
    public static final int SIZE = 8;
    /** offsetof(struct pollfd, fd). */
    public static final int FD_OFFSET = 0;
    /** offsetof(struct pollfd, events). */
    public static final int EVENTS_OFFSET = 4;
    /** offsetof(struct pollfd, revents). */
    public static final int REVENTS_OFFSET = 6;

    private Poll() {
    }
}
