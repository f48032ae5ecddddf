package io.mlvpn.testkit.lab;

import java.util.Random;

/**
 * The decisions an {@link Impairment} makes for one direction: whether a datagram is dropped by
 * the queue or by loss, and when it leaves. Pure arithmetic on the times it is given, so tests
 * drive it with made-up times. Owned by one thread (the direction's release thread).
 */
final class LinkModel {
    /** The datagram goes on; its departure time is {@link #releaseNanos()}. */
    static final int ACCEPTED = 0;
    /** The rate limiter's queue was full. */
    static final int DROPPED_BY_QUEUE = 1;
    /** The random loss took it. */
    static final int DROPPED_BY_LOSS = 2;

    private static final double NANOS_PER_SECOND = 1e9;

    private final Random random;
    /** When the rate limiter has finished sending everything accepted so far (System.nanoTime scale). */
    private long lineFreeAtNanos;
    private boolean lineUsed;
    private long releaseNanos;

    LinkModel(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Judges one datagram of {@code length} bytes that arrived at {@code arrivalNanos}; arrivals
     * must be given in the order they happened.
     *
     * @return {@link #ACCEPTED}, {@link #DROPPED_BY_QUEUE} or {@link #DROPPED_BY_LOSS}
     */
    int admit(long arrivalNanos, int length, Impairment impairment) {
        long departure = arrivalNanos;
        long rate = impairment.rateBitsPerSecond();
        if (rate > 0) {
            long backlogNanos = lineUsed ? lineFreeAtNanos - arrivalNanos : 0;
            if (backlogNanos > 0) {
                double backlogBytes = backlogNanos * (rate / 8.0) / NANOS_PER_SECOND;
                if (backlogBytes + length > impairment.queueBytes()) {
                    return DROPPED_BY_QUEUE;
                }
                departure = lineFreeAtNanos;
            }
            departure += serialisationNanos(length, rate);
            lineFreeAtNanos = departure;
            lineUsed = true;
        }
        double loss = impairment.lossProbability();
        if (loss > 0 && random.nextDouble() < loss) {
            return DROPPED_BY_LOSS;
        }
        long jitter = impairment.jitterNanos();
        long offset = impairment.delayNanos();
        if (jitter > 0) {
            offset += random.nextLong(2 * jitter + 1) - jitter;
        }
        releaseNanos = departure + Math.max(0, offset);
        return ACCEPTED;
    }

    /** The time the last accepted datagram leaves the relay. */
    long releaseNanos() {
        return releaseNanos;
    }

    private static long serialisationNanos(int length, long rateBitsPerSecond) {
        // length * 8e9 fits a long for any datagram; rounding up keeps the rate at or below the limit.
        long bitNanos = length * 8L * 1_000_000_000L;
        return (bitNanos + rateBitsPerSecond - 1) / rateBitsPerSecond;
    }
}
