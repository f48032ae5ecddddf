package io.mlvpn.core.link;

/**
 * The largest authenticated datagram a link received during about the last second, which each
 * keepalive reports to the peer so that its path-MTU probes get their answer (and full-size data
 * confirms its path MTU without a probe).
 *
 * <p>One writer, the link's receiver thread ({@link #record}); read from any thread. Writes only
 * when a larger datagram arrives or the second is over, so steady traffic of one size costs a
 * comparison per packet.
 */
public final class LargestDatagram {
    /** How long a size is remembered. */
    public static final long WINDOW_NANOS = 1_000_000_000L;

    private volatile int largest;
    private volatile long sinceNanos;

    /** A datagram of {@code length} bytes passed authentication at {@code now}; receiver thread only. */
    public void record(int length, long nowNanos) {
        if (length > largest || nowNanos - sinceNanos > WINDOW_NANOS) {
            sinceNanos = nowNanos;
            largest = length;
        }
    }

    /** The largest datagram received during the last window, or 0 when none. */
    public int largest(long nowNanos) {
        int l = largest;
        return nowNanos - sinceNanos > WINDOW_NANOS ? 0 : l;
    }
}
