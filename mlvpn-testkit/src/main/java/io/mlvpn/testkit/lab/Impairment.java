package io.mlvpn.testkit.lab;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link UdpRelay} does to the datagrams of one direction, applied in this order: a size
 * limit, a rate limit with a bounded queue, random loss, then a one-way delay with jitter.
 * Instances are immutable; {@link #NONE} forwards everything at once.
 *
 * <p><b>Size limit.</b> A datagram of more than {@link #maxDatagramBytes()} UDP payload bytes is
 * dropped silently, as a path whose MTU is smaller than the ends believe (and whose ICMP errors
 * are lost) swallows full-size packets: a path-MTU black hole.
 *
 * <p><b>Rate and queue.</b> The rate limit behaves like an uplink modem: a token bucket one
 * datagram deep (no burst beyond the datagram being sent) drains a FIFO queue at
 * {@link #rateBitsPerSecond()}, counting UDP payload bytes only. A datagram that finds more than
 * {@link #queueBytes()} waiting ahead of it, itself included, is dropped and counted; a datagram
 * that finds the queue empty is always accepted. With no rate limit the queue is unused.
 *
 * <p><b>Loss</b> is drawn per datagram after the queue (a datagram lost on the line has used the
 * line's capacity) from the relay's seeded random source, so a run with the same seed and the same
 * traffic loses the same datagrams.
 *
 * <p><b>Delay and jitter.</b> Each datagram leaves {@link #delay()} plus a uniform random offset
 * in [-jitter, +jitter] after it left the rate limiter, never before; jitter lets datagrams
 * overtake each other, as on a real path. When jitter exceeds the delay, offsets below zero are
 * clamped to zero.
 */
public final class Impairment {
    /** The queue a rate-limited direction has unless set: 64 KiB, a small modem buffer. */
    public static final int DEFAULT_QUEUE_BYTES = 64 * 1024;
    /** The longest delay or jitter accepted. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);
    /** No impairment: no rate limit, no loss, no delay. */
    public static final Impairment NONE = builder().build();

    private final long rateBitsPerSecond;
    private final int queueBytes;
    private final Duration delay;
    private final Duration jitter;
    private final double lossProbability;
    private final int maxDatagramBytes;
    private final long delayNanos;
    private final long jitterNanos;

    private Impairment(Builder b) {
        this.rateBitsPerSecond = b.rateBitsPerSecond;
        this.queueBytes = b.queueBytes;
        this.delay = b.delay;
        this.jitter = b.jitter;
        this.lossProbability = b.lossProbability;
        this.maxDatagramBytes = b.maxDatagramBytes;
        this.delayNanos = b.delay.toNanos();
        this.jitterNanos = b.jitter.toNanos();
    }

    /** A builder holding the defaults: everything off, a {@link #DEFAULT_QUEUE_BYTES} queue. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this impairment's values. */
    public Builder newBuilder() {
        return new Builder().rateBitsPerSecond(rateBitsPerSecond).queueBytes(queueBytes).delay(delay)
                .jitter(jitter).lossProbability(lossProbability).maxDatagramBytes(maxDatagramBytes);
    }

    /** The rate limit in bits (of UDP payload) per second; 0 means unlimited. */
    public long rateBitsPerSecond() {
        return rateBitsPerSecond;
    }

    /** The most bytes the rate limiter's queue holds; beyond it datagrams are dropped. */
    public int queueBytes() {
        return queueBytes;
    }

    /** The one-way delay added to every datagram. */
    public Duration delay() {
        return delay;
    }

    /** The half-width of the uniform random offset added to the delay. */
    public Duration jitter() {
        return jitter;
    }

    /** The probability in [0, 1] that a datagram is lost. */
    public double lossProbability() {
        return lossProbability;
    }

    /** The largest datagram (UDP payload bytes) that gets through; {@code Integer.MAX_VALUE}: any. */
    public int maxDatagramBytes() {
        return maxDatagramBytes;
    }

    /** True when datagrams pass untouched: no size limit, rate limit, loss, delay or jitter. */
    public boolean isPassThrough() {
        return rateBitsPerSecond == 0 && lossProbability == 0 && delayNanos == 0 && jitterNanos == 0
                && maxDatagramBytes == Integer.MAX_VALUE;
    }

    long delayNanos() {
        return delayNanos;
    }

    long jitterNanos() {
        return jitterNanos;
    }

    /** The least time any datagram spends in the relay under this impairment. */
    long minimumDelayNanos() {
        return Math.max(0, delayNanos - jitterNanos);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Impairment)) {
            return false;
        }
        Impairment that = (Impairment) o;
        return rateBitsPerSecond == that.rateBitsPerSecond && queueBytes == that.queueBytes
                && delayNanos == that.delayNanos && jitterNanos == that.jitterNanos
                && Double.compare(lossProbability, that.lossProbability) == 0
                && maxDatagramBytes == that.maxDatagramBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rateBitsPerSecond, queueBytes, delayNanos, jitterNanos, lossProbability,
                maxDatagramBytes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "Impairment[rateBitsPerSecond=%d, queueBytes=%d, delay=%s, jitter=%s, lossProbability=%s,"
                + " maxDatagramBytes=%d]", rateBitsPerSecond, queueBytes, delay, jitter, lossProbability,
                maxDatagramBytes);
    }

    /** Builds an {@link Impairment}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private long rateBitsPerSecond;
        private int queueBytes = DEFAULT_QUEUE_BYTES;
        private Duration delay = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private double lossProbability;
        private int maxDatagramBytes = Integer.MAX_VALUE;

        private Builder() {
        }

        /** The rate limit in bits of UDP payload per second; 0 (the default) means unlimited. */
        public Builder rateBitsPerSecond(long rateBitsPerSecond) {
            if (rateBitsPerSecond < 0) {
                throw new IllegalArgumentException("rateBitsPerSecond < 0: " + rateBitsPerSecond);
            }
            this.rateBitsPerSecond = rateBitsPerSecond;
            return this;
        }

        /** The rate limiter's queue in bytes, at least 1; default {@link #DEFAULT_QUEUE_BYTES}. */
        public Builder queueBytes(int queueBytes) {
            if (queueBytes < 1) {
                throw new IllegalArgumentException("queueBytes < 1: " + queueBytes);
            }
            this.queueBytes = queueBytes;
            return this;
        }

        /** The one-way delay, in [0, {@link #MAX_DELAY}]; default zero. */
        public Builder delay(Duration delay) {
            this.delay = checkDelay("delay", delay);
            return this;
        }

        /** The jitter (half-width of a uniform offset), in [0, {@link #MAX_DELAY}]; default zero. */
        public Builder jitter(Duration jitter) {
            this.jitter = checkDelay("jitter", jitter);
            return this;
        }

        /** The probability that a datagram is lost, in [0, 1]; default zero. */
        public Builder lossProbability(double lossProbability) {
            if (!(lossProbability >= 0 && lossProbability <= 1)) {
                throw new IllegalArgumentException("lossProbability not in [0, 1]: " + lossProbability);
            }
            this.lossProbability = lossProbability;
            return this;
        }

        /** The largest datagram that gets through, at least 1; default: any. */
        public Builder maxDatagramBytes(int maxDatagramBytes) {
            if (maxDatagramBytes < 1) {
                throw new IllegalArgumentException("maxDatagramBytes < 1: " + maxDatagramBytes);
            }
            this.maxDatagramBytes = maxDatagramBytes;
            return this;
        }

        /** The impairment. */
        public Impairment build() {
            return new Impairment(this);
        }

        private static Duration checkDelay(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " < 0: " + d);
            }
            if (d.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException(what + " > " + MAX_DELAY + ": " + d);
            }
            return d;
        }
    }
}
