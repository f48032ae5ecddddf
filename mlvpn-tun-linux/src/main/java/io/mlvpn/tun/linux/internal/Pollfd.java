package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct pollfd}: only for the layout test; the data path writes pollfds at the offsets in
 * {@link Poll}.
 */
@FieldOrder({"fd", "events", "revents"})
public class Pollfd extends CStruct {
    /** File descriptor. */
    public int fd;
    /** Requested events. */
    public short events;
    /** Returned events. */
    public short revents;

    /** Zeroes. */
    public Pollfd() {
    }
}
