package io.mlvpn.core.link;

/**
 * Paces one link's sends at its rate, so that a modem's upload buffer never fills from our own
 * bursts: a token bucket in bytes whose rate is the link's configured upload rate, else 1.5 times
 * its measured delivery rate (room to grow toward its capacity), else unlimited. Owned by the
 * device-reader thread; allocation-free.
 *
 * <p>The device reader waits for the chosen link's tokens, which holds back every link; so a
 * measured rate (which can be stale and low after a cut) is only followed while the wait it asks
 * for stays short ({@link #MAX_MEASURED_WAIT_NANOS}); beyond that the packet goes at once.
 */
public final class Pacer {
    /** Burst allowed at once: this much time at the pacing rate (and at least two packets). */
    public static final long BURST_NANOS = 4_000_000L;

    private long tokensBytes;
    private long lastNanos;
    private boolean started;

    /** Headroom over the measured delivery rate, so a link can show it carries more. */
    public static final long MEASURED_HEADROOM_PERCENT = 150;
    /** Longest wait a measured (rather than configured) rate may impose on one packet. */
    public static final long MAX_MEASURED_WAIT_NANOS = 2_000_000L;

    /** The pacing rate for a link in bits per second; 0 means unlimited. */
    public static long rateBitsPerSecond(LinkRuntime link) {
        long configured = link.config().uploadBitsPerSecond();
        if (configured > 0) {
            return configured;
        }
        long measured = link.deliveryRateBitsPerSecond();
        return measured > 0 ? measured * MEASURED_HEADROOM_PERCENT / 100 : 0;
    }

    /** True when the link's pacing rate comes from its configuration, not a measurement. */
    public static boolean configured(LinkRuntime link) {
        return link.config().uploadBitsPerSecond() > 0;
    }


    /**
     * How long to wait before sending {@code bytes} at {@code rateBits} (0 = now), and takes the
     * tokens for them when it is now.
     */
    public long delayNanos(int bytes, long rateBits, long nowNanos) {
        if (rateBits <= 0) {
            started = false;
            return 0;
        }
        long burst = Math.max(2L * bytes, rateBits / 8 * BURST_NANOS / 1_000_000_000L);
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            tokensBytes = burst;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            long refill = rateBits / 8 * elapsed / 1_000_000_000L;
            if (refill > 0) {
                tokensBytes = Math.min(burst, tokensBytes + refill);
                lastNanos = nowNanos;
            }
        }
        if (tokensBytes >= bytes) {
            tokensBytes -= bytes;
            return 0;
        }
        return (bytes - tokensBytes) * 8L * 1_000_000_000L / rateBits + 1;
    }
}
