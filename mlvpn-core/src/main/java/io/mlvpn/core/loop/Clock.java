package io.mlvpn.core.loop;

/**
 * The time source of the engine, so that estimators, timeouts, backoff and reorder deadlines can be
 * driven by a {@link ManualClock} in tests. Implementations are safe for concurrent use.
 */
public interface Clock {
    /** The system clocks. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    };

    /** Monotonic time in nanoseconds, for intervals only (like {@link System#nanoTime()}). */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch, for reports and handshake timestamps. */
    long currentTimeMillis();
}
