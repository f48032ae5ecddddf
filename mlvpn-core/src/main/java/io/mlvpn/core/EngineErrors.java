package io.mlvpn.core;

import io.mlvpn.core.loop.LogRateLimiter;
import org.slf4j.Logger;

/**
 * What one engine thread does with an unexpected exception (a bug, or a device, transport or
 * scheduler breaking its contract): counts it
 * ({@link io.mlvpn.core.metrics.TunnelCounters#countInternalError}), logs it with its stack trace
 * at most once per {@link #LOG_INTERVAL_NANOS} (saying how many were held back, so input that
 * triggers it cannot flood the log), and tells the thread whether the same call has now failed so
 * often in a row that going on would only spin. One per thread.
 */
final class EngineErrors {
    /** At most one logged internal error per thread in this time. */
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    /**
     * Failures of one call in a row (a device read, a transport receive, a device write) after
     * which the call is taken as broken for good: the thread gives up on it rather than retry it
     * forever, 1 ms apart, with the tunnel half alive.
     */
    static final int GIVE_UP_STREAK = 100;

    private final Logger log;
    private final String thread;
    private final TunnelContext ctx;
    private final LogRateLimiter limiter = new LogRateLimiter(LOG_INTERVAL_NANOS);
    private int streak;

    EngineErrors(Logger log, String thread, TunnelContext ctx) {
        this.log = log;
        this.thread = thread;
        this.ctx = ctx;
    }

    /** One packet or tick was given up after {@code e}; the thread goes on. */
    void record(String lost, RuntimeException e) {
        ctx.counters.countInternalError();
        long held = limiter.permit(ctx.clock.nanoTime());
        if (held >= 0) {
            log.error("{}: {} after an internal error ({} more since the last such line)", thread, lost, held, e);
        }
    }

    /**
     * A call that is retried failed with {@code e}: counted and logged like {@link #record}.
     *
     * @return true when it has now failed {@link #GIVE_UP_STREAK} times in a row
     */
    boolean recordRepeated(String lost, RuntimeException e) {
        record(lost, e);
        return ++streak >= GIVE_UP_STREAK;
    }

    /** The retried call succeeded: the streak starts over. */
    void succeeded() {
        streak = 0;
    }
}
