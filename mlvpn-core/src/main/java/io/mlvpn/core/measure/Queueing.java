package io.mlvpn.core.measure;

/**
 * Tells whether a link is queueing what it is sent: its smoothed round trip stands well above the
 * smallest recent one. A rate-limited link (a modem, a shaper) that is sent more than its rate
 * first queues, then drops; the queueing comes first and says the loss that follows is congestion
 * (our own sending), not a fault of the link. Static and allocation-free.
 */
public final class Queueing {
    /** Queueing below this is jitter, not a queue: a few milliseconds of scheduling noise. */
    public static final long MIN_QUEUE_MICROS = 5_000L;

    private Queueing() {
    }

    /**
     * True when the link's queue has built up: {@code srtt - minRtt} above the larger of
     * {@link #MIN_QUEUE_MICROS} and half the minimum round trip (long paths jitter more).
     * False while either is unknown (0).
     */
    public static boolean building(long srttMicros, long minRttMicros) {
        if (srttMicros <= 0 || minRttMicros <= 0) {
            return false;
        }
        return srttMicros - minRttMicros > Math.max(MIN_QUEUE_MICROS, minRttMicros / 2);
    }
}
