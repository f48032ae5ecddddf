package io.mlvpn.testkit;

import io.mlvpn.api.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when told, for tests and simulations. Safe for concurrent use.
 */
public final class ManualClock implements Clock {
    private final AtomicLong nanos;
    private final long epochMillisAtZero;

    /** Starts at monotonic time 0 and wall-clock time 1 700 000 000 000 ms. */
    public ManualClock() {
        this(0L, 1_700_000_000_000L);
    }

    /** Starts at the given monotonic and wall-clock times. */
    public ManualClock(long startNanos, long epochMillisAtStart) {
        this.nanos = new AtomicLong(startNanos);
        this.epochMillisAtZero = epochMillisAtStart - startNanos / 1_000_000L;
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return epochMillisAtZero + nanos.get() / 1_000_000L;
    }

    /** Moves both clocks forward. */
    public void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("negative advance: " + delta);
        }
        nanos.addAndGet(delta);
    }

    /** Moves both clocks forward by {@code millis} milliseconds. */
    public void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }
}
