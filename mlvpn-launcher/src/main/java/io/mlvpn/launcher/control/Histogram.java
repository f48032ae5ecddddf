package io.mlvpn.launcher.control;

import java.util.List;

/**
 * Cumulative histograms in the shape Prometheus exposes ({@code _bucket} counts are cumulative,
 * plus {@code _sum} and {@code _count}), made from the engine's per-bucket counts.
 */
final class Histogram {
    /** Upper bounds in seconds for round-trip times: 1 ms to 5 s (the engine's {@code RTT_BOUNDS_MICROS}). */
    static final double[] RTT_BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private Histogram() {
    }

    /**
     * A snapshot from per-bucket counts (bounds in microseconds, one more count for above the last
     * bound) and their sum in microseconds.
     */
    static Snapshot fromCounts(List<Long> boundsMicros, List<Long> counts, long sumMicros) {
        double[] bounds = new double[boundsMicros.size()];
        long[] cumulative = new long[bounds.length];
        long running = 0;
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = boundsMicros.get(i) / 1e6;
            running += i < counts.size() ? counts.get(i) : 0;
            cumulative[i] = running;
        }
        long total = running + (counts.size() > bounds.length ? counts.get(bounds.length) : 0);
        return new Snapshot(bounds, cumulative, total, sumMicros / 1e6);
    }

    /**
     * A histogram's values at one moment.
     *
     * @param bounds upper bounds
     * @param cumulativeCounts observations at or below each bound
     * @param count all observations (the {@code +Inf} bucket)
     * @param sum their sum
     */
    record Snapshot(double[] bounds, long[] cumulativeCounts, long count, double sum) {
    }
}
