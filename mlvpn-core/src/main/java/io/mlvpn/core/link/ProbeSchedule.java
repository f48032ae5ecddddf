package io.mlvpn.core.link;

/**
 * When a link that is not up next tries to reach its peer (docs/protocol.md, section 8): a link
 * that was up and went silent is probed every 100 ms during its first minute down, so that its
 * return is seen within a fraction of a second; a link that never came up, or stayed down longer,
 * backs off from 1 s, doubling to 60 s. Not safe for concurrent use: owned by the timer thread.
 */
public final class ProbeSchedule {
    /** Probe interval right after a link went down. */
    public static final long FAST_INTERVAL_NANOS = 100_000_000L;
    /** How long after going down the fast interval applies. */
    public static final long FAST_PERIOD_NANOS = 60_000_000_000L;
    /** First back-off interval. */
    public static final long BACKOFF_START_NANOS = 1_000_000_000L;
    /** Longest back-off interval. */
    public static final long BACKOFF_MAX_NANOS = 60_000_000_000L;

    private boolean wasUp;
    private long downSinceNanos;
    private long backoffNanos = BACKOFF_START_NANOS;
    private long nextNanos;

    /** The link is down from {@code now}; {@code wasUp} says whether it had been up before. */
    public void down(long nowNanos, boolean wasUp) {
        this.wasUp = wasUp;
        this.downSinceNanos = nowNanos;
        this.backoffNanos = BACKOFF_START_NANOS;
        this.nextNanos = nowNanos;
    }

    /** True when a probe is due at {@code now}. */
    public boolean due(long nowNanos) {
        return nowNanos - nextNanos >= 0;
    }

    /** Records that a probe was sent at {@code now} and schedules the next one. */
    public void sent(long nowNanos) {
        if (wasUp && nowNanos - downSinceNanos < FAST_PERIOD_NANOS) {
            nextNanos = nowNanos + FAST_INTERVAL_NANOS;
        } else {
            nextNanos = nowNanos + backoffNanos;
            backoffNanos = Math.min(backoffNanos * 2, BACKOFF_MAX_NANOS);
        }
    }

    /** When the next probe is due. */
    public long nextNanos() {
        return nextNanos;
    }
}
