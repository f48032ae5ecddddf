package io.mlvpn.core.loop;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval and counts the ones it holds back, so that input an
 * attacker controls (junk datagrams, replays, floods) can never turn the log into a flood, while
 * an operator still sees that something happens and how often. Allocation-free and lock-free, so
 * it may guard a line on any thread, the packet path included.
 *
 * <p>Use: {@code long n = limiter.permit(now); if (n >= 0) log.warn("... ({} similar suppressed)",
 * ..., n);} — the caller builds no message at all while the limiter says no.
 */
public final class LogRateLimiter {
    /** The interval most callers want: one line a minute per kind of event. */
    public static final long DEFAULT_INTERVAL_NANOS = 60_000_000_000L;

    private final long intervalNanos;
    /** Monotonic time before which lines are held back; MIN_VALUE until the first line. */
    private final AtomicLong nextAllowedNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param intervalNanos the least time between two lines let through, at least 1
     * @throws IllegalArgumentException when {@code intervalNanos} is below 1
     */
    public LogRateLimiter(long intervalNanos) {
        if (intervalNanos < 1) {
            throw new IllegalArgumentException("intervalNanos < 1: " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
    }

    /** One line a minute. */
    public LogRateLimiter() {
        this(DEFAULT_INTERVAL_NANOS);
    }

    /**
     * Asks to log one line at monotonic time {@code nowNanos}.
     *
     * @return -1 when the line must be held back (it is counted); otherwise the number of lines
     *     held back since the last one let through, which the caller should say in its line
     */
    public long permit(long nowNanos) {
        for (;;) {
            long next = nextAllowedNanos.get();
            if (next != Long.MIN_VALUE && nowNanos - next < 0) {
                suppressed.incrementAndGet();
                return -1;
            }
            if (nextAllowedNanos.compareAndSet(next, nowNanos + intervalNanos)) {
                return suppressed.getAndSet(0);
            }
        }
    }

    /** Lines held back since the last one let through. */
    public long suppressed() {
        return suppressed.get();
    }
}
