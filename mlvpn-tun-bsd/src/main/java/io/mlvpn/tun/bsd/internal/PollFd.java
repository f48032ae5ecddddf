package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Structure;

/**
 * {@code struct pollfd} of {@code poll.h} (8 bytes, the same on every Unix). The read/write loop
 * writes pollfds straight into native memory at these offsets; this class exists so the tests can
 * check them against JNA's layout.
 *
 * <pre>
 * struct pollfd {
 *     int   fd;       // offset 0
 *     short events;   // offset 4
 *     short revents;  // offset 6
 * };
 * </pre>
 */
@Structure.FieldOrder({"fd", "events", "revents"})
public final class PollFd extends Structure {
    /** {@code sizeof(struct pollfd)}. */
    public static final int SIZE = 8;
    /** Offset of {@code fd}. */
    public static final int OFFSET_FD = 0;
    /** Offset of {@code events}. */
    public static final int OFFSET_EVENTS = 4;
    /** Offset of {@code revents}. */
    public static final int OFFSET_REVENTS = 6;

    /** {@code fd}. */
    public int fd;
    /** {@code events}. */
    public short events;
    /** {@code revents}. */
    public short revents;

    /** An all-zero pollfd. */
    public PollFd() {
        super();
    }

    /** Offset of a field, for the layout tests. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
