package io.mlvpn.core.measure;

import io.mlvpn.api.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Bytes per second over a sliding window (one second by default) made of equal time buckets.
 *
 * <p>Bucket {@code k} counts the bytes recorded while {@code clock.nanoTime() / bucketNanos == k}
 * and lives in slot {@code k % buckets}, which is reused (zeroed) when the time reaches it again.
 * The rate sums the buckets of the last {@code buckets} periods, the current partial one included,
 * and divides by the time they span: {@code (buckets - 1)} whole buckets plus the elapsed part of
 * the current one. So the rate follows traffic within one bucket and falls to 0 one window after
 * traffic stops. During the first window after creation it is an underestimate (it divides by a
 * full window).
 *
 * <p><b>Threading.</b> {@link #record} is called from one writer thread and allocates nothing;
 * {@link #bitsPerSecond} is safe from any thread (opaque reads; a bucket being reused at that
 * moment may be read as old or new, so the result is approximate).
 */
public final class RateEstimator {
    /** The default window, one second. */
    public static final long DEFAULT_WINDOW_NANOS = 1_000_000_000L;
    /** The default number of buckets in the window. */
    public static final int DEFAULT_BUCKETS = 10;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Clock clock;
    private final long bucketNanos;
    private final int buckets;
    /** Bytes per slot. */
    private final long[] bytes;
    /** The bucket number each slot counts for; Long.MIN_VALUE when never used. */
    private final long[] periods;

    /** A one-second window of 10 buckets. */
    public RateEstimator(Clock clock) {
        this(clock, DEFAULT_WINDOW_NANOS, DEFAULT_BUCKETS);
    }

    /**
     * A window of {@code windowNanos} split into {@code buckets} equal buckets.
     *
     * @param windowNanos at least {@code buckets} nanoseconds
     * @param buckets from 2 to 1024
     */
    public RateEstimator(Clock clock, long windowNanos, int buckets) {
        if (buckets < 2 || buckets > 1024) {
            throw new IllegalArgumentException("buckets not in [2, 1024]: " + buckets);
        }
        if (windowNanos < buckets) {
            throw new IllegalArgumentException("windowNanos < buckets: " + windowNanos);
        }
        this.clock = clock;
        this.buckets = buckets;
        this.bucketNanos = windowNanos / buckets;
        this.bytes = new long[buckets];
        this.periods = new long[buckets];
        Arrays.fill(periods, Long.MIN_VALUE);
    }

    /** Counts {@code byteCount} bytes sent or received now; writer thread only. Counts {@code <= 0} are ignored. */
    public void record(long byteCount) {
        if (byteCount <= 0) {
            return;
        }
        long period = Math.floorDiv(clock.nanoTime(), bucketNanos);
        int slot = (int) Math.floorMod(period, (long) buckets);
        if ((long) LONGS.getOpaque(periods, slot) != period) {
            LONGS.setOpaque(bytes, slot, 0L);
            LONGS.setRelease(periods, slot, period);
        }
        LONGS.setRelease(bytes, slot, (long) LONGS.getOpaque(bytes, slot) + byteCount);
    }

    /** The rate over the window ending now, bits per second; any thread. */
    public long bitsPerSecond() {
        long now = clock.nanoTime();
        long current = Math.floorDiv(now, bucketNanos);
        long total = 0;
        for (int slot = 0; slot < buckets; slot++) {
            long period = (long) LONGS.getAcquire(periods, slot);
            if (period > current - buckets && period <= current) {
                total += (long) LONGS.getAcquire(bytes, slot);
            }
        }
        if (total == 0) {
            return 0;
        }
        long spanNanos = (buckets - 1) * bucketNanos + (now - current * bucketNanos);
        // double: total * 8e9 overflows a long above ~1.1 GB per window
        return (long) (total * 8.0e9 / spanNanos);
    }

    /** Length of one bucket, nanoseconds. */
    public long bucketNanos() {
        return bucketNanos;
    }

    /** Number of buckets in the window. */
    public int buckets() {
        return buckets;
    }
}
