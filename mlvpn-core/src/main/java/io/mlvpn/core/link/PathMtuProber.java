package io.mlvpn.core.link;

/**
 * Finds and keeps watching the largest datagram one link's path carries, in the manner of
 * datagram packetization-layer path-MTU discovery (RFC 8899): padded probes that the peer
 * acknowledges by reporting the largest datagram it received. A path whose MTU is smaller than
 * configured (PPPoE's 1492, many LTE paths' 1428-1480) would otherwise swallow every full-size
 * packet sent on it.
 *
 * <p>Sizes are UDP payload bytes (our header, the sealed payload and the tag). The prober is
 * optimistic: it starts by confirming the configured maximum, so a path that carries it (the
 * usual case) never sees a smaller MTU. When the maximum is lost {@value #MAX_ATTEMPTS} times in a
 * row it falls back to the base size (which every path is assumed to carry) and binary-searches
 * between the two, down to {@value #GRANULARITY} bytes. Once done it confirms the size it found
 * every {@link #CONFIRM_INTERVAL_NANOS} unless traffic of that size was reported meanwhile, and a
 * size that stops getting through starts the search again (a path that changed under a running
 * tunnel); below the maximum it tries to raise it again every {@link #RAISE_INTERVAL_NANOS}.
 *
 * <p>Not safe for concurrent use: owned by the link's timer. Allocation-free.
 */
public final class PathMtuProber {
    /** Probes of one size sent before that size counts as not getting through. */
    public static final int MAX_ATTEMPTS = 3;
    /** Search precision, in bytes. */
    public static final int GRANULARITY = 8;
    /** How often a size found is confirmed when no traffic of that size was reported. */
    public static final long CONFIRM_INTERVAL_NANOS = 3_000_000_000L;
    /** How often a size below the maximum is tried again (RFC 8899's PMTU_RAISE_TIMER). */
    public static final long RAISE_INTERVAL_NANOS = 600_000_000_000L;

    private final int base;
    private final int max;
    /** The size believed to get through: what the link may send. */
    private int current;
    /** Largest size known to get through during a search. */
    private int low;
    /** Smallest size known not to get through during a search. */
    private int high;
    private boolean searching;
    /** Size of the outstanding probe, or 0. */
    private int probeSize;
    private int attempts;
    private long probeSentNanos;
    private long confirmedNanos;
    private long raiseAtNanos;
    private int changes;

    /**
     * @param baseSize the size every path is assumed to carry (e.g. 1232: IPv6's minimum MTU less
     *     its IP and UDP headers)
     * @param maxSize the configured size (the link MTU less the IP and UDP headers)
     * @param nowNanos when the link came up: the maximum is probed from then on
     * @throws IllegalArgumentException when {@code baseSize} is not positive or above {@code maxSize}
     */
    public PathMtuProber(int baseSize, int maxSize, long nowNanos) {
        if (baseSize < 1 || baseSize > maxSize) {
            throw new IllegalArgumentException("base size " + baseSize + " not in 1.." + maxSize);
        }
        this.base = baseSize;
        this.max = maxSize;
        this.current = maxSize;
        this.low = maxSize;
        this.high = maxSize + 1;
        this.searching = true;
        this.confirmedNanos = nowNanos;
        this.raiseAtNanos = nowNanos + RAISE_INTERVAL_NANOS;
    }

    /** The largest datagram the link may send now. */
    public int pathMtu() {
        return current;
    }

    /** True while a size is being searched for (the first confirmation included). */
    public boolean searching() {
        return searching;
    }

    /** How often {@link #pathMtu()} changed: callers compare it to raise an event once per change. */
    public int changes() {
        return changes;
    }

    /**
     * The size of the probe to send at {@code now}, or 0 when none is due. The caller sends a probe
     * of exactly that size (asking for an immediate reply) and calls {@link #sent}.
     *
     * @param probeTimeoutNanos how long a probe waits for its acknowledgement (a few round trips)
     * @param lastHeardNanos when the peer was last heard on this link: a probe that went unanswered
     *     while nothing at all was heard was lost to an outage, not to its size, and is not counted
     */
    public int due(long nowNanos, long probeTimeoutNanos, long lastHeardNanos) {
        if (probeSize != 0) {
            if (nowNanos - probeSentNanos < probeTimeoutNanos) {
                return 0;
            }
            if (lastHeardNanos - probeSentNanos < 0) {
                // The whole link is silent (the peer restarted, a cut): wait until it answers again.
                return 0;
            }
            if (attempts < MAX_ATTEMPTS) {
                return probeSize;
            }
            lost(probeSize);
        }
        if (searching) {
            return nextSearchSize();
        }
        if (current < max && nowNanos - raiseAtNanos >= 0) {
            raiseAtNanos = nowNanos + RAISE_INTERVAL_NANOS;
            return max;
        }
        if (nowNanos - confirmedNanos >= CONFIRM_INTERVAL_NANOS) {
            return current;
        }
        return 0;
    }

    /** A probe of {@code size} bytes (the one {@link #due} asked for) left at {@code now}. */
    public void sent(int size, long nowNanos) {
        if (size != probeSize) {
            probeSize = size;
            attempts = 0;
        }
        attempts++;
        probeSentNanos = nowNanos;
    }

    /**
     * The peer reported that the largest datagram it received on this link lately had
     * {@code largestSize} bytes: it acknowledges any probe up to that size, and confirms the
     * current size when it is at least that.
     */
    public void reported(int largestSize, long nowNanos) {
        if (largestSize >= current) {
            confirmedNanos = nowNanos;
        }
        if (probeSize == 0 || largestSize < probeSize) {
            return;
        }
        int acked = probeSize;
        probeSize = 0;
        attempts = 0;
        if (searching) {
            low = Math.max(low, acked);
            if (acked == max) {
                finish(max);
            } else if (high - low <= GRANULARITY) {
                finish(low);
            }
        } else if (acked > current) {
            set(acked);
            confirmedNanos = nowNanos;
        } else {
            confirmedNanos = nowNanos;
        }
    }

    private int nextSearchSize() {
        if (low >= max) {
            return max;
        }
        int mid = low + (high - low) / 2;
        return Math.max(mid, low + 1);
    }

    /** {@code size} went unacknowledged {@value #MAX_ATTEMPTS} times. */
    private void lost(int size) {
        probeSize = 0;
        attempts = 0;
        if (!searching) {
            if (size > current) {
                return; // a raise attempt failed: nothing changes
            }
            // What got through stopped getting through: the path changed; search from the base.
            searching = true;
            low = base;
            high = size;
            set(base);
        } else if (size >= max && low >= max) {
            // The configured maximum does not get through: fall back to the base and search.
            low = base;
            high = max;
            set(base);
        } else {
            high = Math.min(high, size);
        }
        if (high - low <= GRANULARITY) {
            finish(low);
        }
    }

    private void finish(int size) {
        searching = false;
        set(size);
    }

    private void set(int size) {
        if (size != current) {
            current = size;
            changes++;
        }
    }
}
