package io.mlvpn.launcher.control;

/**
 * A cumulative histogram with fixed upper bounds, in the shape Prometheus exposes ({@code _bucket}
 * counts are cumulative, plus {@code _sum} and {@code _count}). Safe for concurrent use (one
 * writer, the sampler, and readers on the endpoint's threads; all synchronized, off the data path).
 */
final class Histogram {
    /** Upper bounds in seconds for round-trip times: 1 ms to 5 s. */
    static final double[] RTT_BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length];
    }

    synchronized void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                counts[i]++;
                break;
            }
        }
        count++;
        sum += value;
    }

    /** A consistent copy. */
    synchronized Snapshot snapshot() {
        long[] cumulative = new long[bounds.length];
        long running = 0;
        for (int i = 0; i < bounds.length; i++) {
            running += counts[i];
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, count, sum);
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
