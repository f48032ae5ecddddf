package io.mlvpn.core.measure;

/**
 * Smoothed round-trip time and its variation, as RFC 6298 section 2 computes them, in
 * microseconds.
 *
 * <p>The first sample {@code R} sets {@code srtt = R} and {@code rttvar = R / 2}; each later one
 * sets {@code rttvar = 3/4 rttvar + 1/4 |srtt - R|}, then {@code srtt = 7/8 srtt + 1/8 R}
 * (integer arithmetic, rounded down). Samples that are not positive or exceed the configured
 * maximum are ignored and counted: a clock step or a stale echo must not poison the estimate.
 *
 * <p><b>Threading.</b> {@link #sample} and {@link #reset} are called from one writer thread.
 * The getters are safe from any thread: each value is volatile, so a reader sees a value the
 * writer stored, though {@code srtt} and {@code rttvar} may come from consecutive samples.
 */
public final class RttEstimator {
    /** The default largest accepted sample: 5 seconds. */
    public static final long DEFAULT_MAX_RTT_MICROS = 5_000_000L;

    private final long maxRttMicros;
    private volatile long srttMicros;
    private volatile long rttVarMicros;
    private volatile long samples;
    private volatile long ignoredSamples;
    /** Upper bounds of the sample histogram's buckets, microseconds; one more bucket is above them. */
    public static final long[] HISTOGRAM_BOUNDS_MICROS = {1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000,
        250_000, 500_000, 1_000_000, 2_500_000, 5_000_000};
    private final java.util.concurrent.atomic.AtomicLongArray histogram =
            new java.util.concurrent.atomic.AtomicLongArray(HISTOGRAM_BOUNDS_MICROS.length + 1);
    private volatile long sampleSumMicros;
    /** The smallest sample is remembered over two windows of this length, so it follows a route change. */
    public static final long MIN_WINDOW_NANOS = 5_000_000_000L;
    private long windowStartNanos;
    private long windowMinMicros;
    private long previousWindowMinMicros;
    private volatile long minRttMicros;

    /** An estimator that accepts samples up to {@link #DEFAULT_MAX_RTT_MICROS}. */
    public RttEstimator() {
        this(DEFAULT_MAX_RTT_MICROS);
    }

    /**
     * An estimator that accepts samples up to {@code maxRttMicros}.
     *
     * @param maxRttMicros the largest plausible sample, at least 1
     */
    public RttEstimator(long maxRttMicros) {
        if (maxRttMicros < 1) {
            throw new IllegalArgumentException("maxRttMicros < 1: " + maxRttMicros);
        }
        this.maxRttMicros = maxRttMicros;
    }

    /** Adds one measured round trip; writer thread only. Out-of-range samples are counted, not used. */
    public void sample(long rttMicros) {
        if (rttMicros <= 0 || rttMicros > maxRttMicros) {
            ignoredSamples = ignoredSamples + 1;
            return;
        }
        if (samples == 0) {
            rttVarMicros = rttMicros / 2;
            srttMicros = rttMicros;
        } else {
            long srtt = srttMicros;
            rttVarMicros = (3 * rttVarMicros + Math.abs(srtt - rttMicros)) / 4;
            srttMicros = (7 * srtt + rttMicros) / 8;
        }
        samples = samples + 1;
        trackMinimum(rttMicros);
        int bucket = 0;
        while (bucket < HISTOGRAM_BOUNDS_MICROS.length && rttMicros > HISTOGRAM_BOUNDS_MICROS[bucket]) {
            bucket++;
        }
        // Single writer: a plain read-add-write, published for readers on other threads.
        histogram.lazySet(bucket, histogram.get(bucket) + 1);
        sampleSumMicros = sampleSumMicros + rttMicros;
    }

    private void trackMinimum(long rttMicros) {
        long now = System.nanoTime();
        if (samples == 1 || now - windowStartNanos >= MIN_WINDOW_NANOS) {
            previousWindowMinMicros = samples == 1 ? rttMicros : windowMinMicros;
            windowMinMicros = rttMicros;
            windowStartNanos = now;
        } else if (rttMicros < windowMinMicros) {
            windowMinMicros = rttMicros;
        }
        minRttMicros = Math.min(windowMinMicros, previousWindowMinMicros);
    }

    /**
     * The smallest round trip of the last 5 to 10 seconds, microseconds: the path's delay without
     * queueing (while the link was idle for a moment); 0 before the first sample.
     */
    public long minRttMicros() {
        return minRttMicros;
    }

    /** Smoothed round-trip time in microseconds; 0 before the first sample. */
    public long srttMicros() {
        return srttMicros;
    }

    /** Round-trip time variation in microseconds; 0 before the first sample. */
    public long rttVarMicros() {
        return rttVarMicros;
    }

    /** True once a sample was accepted since creation or the last {@link #reset}. */
    public boolean hasSample() {
        return samples != 0;
    }

    /** Samples accepted since creation or the last {@link #reset}. */
    public long samples() {
        return samples;
    }

    /** Samples ignored (not positive, or above the maximum) since creation or the last {@link #reset}. */
    public long ignoredSamples() {
        return ignoredSamples;
    }

    /** The largest sample accepted, microseconds. */
    public long maxRttMicros() {
        return maxRttMicros;
    }

    /** Accepted samples in bucket {@code i} of {@link #HISTOGRAM_BOUNDS_MICROS} (the last: above all); never reset. */
    public long histogramCount(int i) {
        return histogram.get(i);
    }

    /** Sum of all accepted samples, microseconds; never reset. */
    public long sampleSumMicros() {
        return sampleSumMicros;
    }

    /** Forgets every sample, for a new session; writer thread only. The histogram and sum stay. */
    public void reset() {
        samples = 0;
        ignoredSamples = 0;
        srttMicros = 0;
        rttVarMicros = 0;
        minRttMicros = 0;
    }
}
