package io.mlvpn.core.inner;

/**
 * A token bucket for the ICMP errors the tunnel writes back into its device, as RFC 4443 §2.4 (f)
 * asks of every node sending them: a host that sends oversize packets as fast as it can gets a
 * burst of answers and then a steady trickle, enough for path-MTU discovery, never one answer per
 * packet. Allocation-free; used by one thread (the device reader).
 */
public final class IcmpRateLimiter {
    /** Answers a second in the long run. */
    public static final int RATE_PER_SECOND = 100;
    /** Answers let through at once after a quiet time. */
    public static final int BURST = 10;

    private final long nanosPerToken;
    private final long capacityNanos;
    /** Tokens held, in nanoseconds of refill time (one token is {@link #nanosPerToken}). */
    private long creditNanos;
    private long lastNanos;
    private boolean started;

    /** The bucket RFC 4443 suggests in spirit: {@value #RATE_PER_SECOND} a second, a burst of {@value #BURST}. */
    public IcmpRateLimiter() {
        this(RATE_PER_SECOND, BURST);
    }

    /**
     * @param ratePerSecond tokens added a second, from 1 to 1 000 000 000
     * @param burst tokens the bucket holds at most, at least 1
     * @throws IllegalArgumentException when a value is out of range
     */
    public IcmpRateLimiter(int ratePerSecond, int burst) {
        if (ratePerSecond < 1 || ratePerSecond > 1_000_000_000 || burst < 1) {
            throw new IllegalArgumentException("rate " + ratePerSecond + "/s, burst " + burst);
        }
        this.nanosPerToken = 1_000_000_000L / ratePerSecond;
        this.capacityNanos = nanosPerToken * burst;
    }

    /**
     * Takes a token at monotonic time {@code nowNanos}, the bucket full at the first call.
     *
     * @return true when an answer may be sent; false when it must be suppressed (the caller counts it)
     */
    public boolean tryAcquire(long nowNanos) {
        if (!started) {
            started = true;
            creditNanos = capacityNanos;
            lastNanos = nowNanos;
        } else {
            long elapsed = nowNanos - lastNanos;
            // A time before the last one adds nothing and is not kept, so it cannot earn twice.
            if (elapsed > 0) {
                // Compared before adding, so that a long pause cannot overflow the sum.
                creditNanos = elapsed >= capacityNanos - creditNanos ? capacityNanos : creditNanos + elapsed;
                lastNanos = nowNanos;
            }
        }
        if (creditNanos < nanosPerToken) {
            return false;
        }
        creditNanos -= nanosPerToken;
        return true;
    }
}
