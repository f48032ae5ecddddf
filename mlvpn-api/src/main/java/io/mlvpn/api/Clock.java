package io.mlvpn.api;

/**
 * The time source of the engine, so that estimators, timeouts, backoff and reorder deadlines can be
 * driven by a manual clock in tests; an embedder may pass one to the engine's builder. It is part
 * of the API, not of core, so that a clock for tests can be written without depending on the
 * engine, as mlvpn-testkit's {@code io.mlvpn.testkit.ManualClock} is. Implementations are safe for
 * concurrent use.
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
