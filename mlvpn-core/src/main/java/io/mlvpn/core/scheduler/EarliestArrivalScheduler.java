package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.LinkView;
import io.mlvpn.api.scheduler.Scheduler;

/**
 * Sends each packet on the link where it is predicted to arrive first, so a slow link is used only
 * while waiting for the fast one would take longer.
 *
 * <p><b>Links in use.</b> The candidates of the order of use every scheduler follows (UP normal
 * links; when none, UP fallback-only links; when none, degraded links; never SUSPECT, DOWN or
 * CONNECTING), read from each link on every {@link #select}.
 *
 * <p><b>Prediction</b>, in microseconds, for a packet of {@code packetBytes} on a link:
 * {@code srttMicros / 2 + (inFlightBytes + packetBytes) * 8 / rate}: the one-way delay taken as
 * half the smoothed round trip, plus the time to drain what the link still carries and the packet
 * itself. The rate is the link's measured delivery rate, else its configured upload rate, else
 * {@link #DEFAULT_RATE_BITS_PER_SECOND} (10 Mbit/s). The packet goes to the link with the smallest
 * prediction; on a tie, to the first candidate (the lowest index, normal links before
 * fallback-only ones among degraded links).
 *
 * <p>Limits: the in-flight bytes include those already on the wire, not only those queued, so the
 * drain time is overstated by about one round trip on a busy link; that favours idle links a
 * little, which keeps them measured. A link with no round-trip sample yet counts as no delay and
 * so gets traffic, and with it a sample. The estimate is only as fresh as the engine's
 * in-flight count, which is expected to include each packet as soon as it is sent.
 *
 * <p><b>Threading.</b> Device-reader thread only, like every {@link Scheduler}; {@link #select}
 * reads each link once (O(links)) and allocates nothing.
 */
public final class EarliestArrivalScheduler implements Scheduler {
    /** The rate assumed for a link with neither a measured nor a configured rate. */
    public static final long DEFAULT_RATE_BITS_PER_SECOND = 10_000_000;
    private static final double MICROS_PER_SECOND = 1e6;

    private final LinkTiers tiers = new LinkTiers();

    /** Creates a scheduler; it keeps no per-link history. */
    public EarliestArrivalScheduler() {
    }

    @Override
    public String name() {
        return "earliest-arrival";
    }

    @Override
    public int select(LinkSet links, int packetBytes, int[] targets) {
        if (packetBytes < 0) {
            throw new IllegalArgumentException("packetBytes < 0: " + packetBytes);
        }
        if (targets.length == 0) {
            return 0;
        }
        int count = tiers.refresh(links);
        int best = -1;
        double bestArrivalMicros = Double.POSITIVE_INFINITY;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            double arrivalMicros = predictedArrivalMicros(links.get(i), packetBytes);
            if (best < 0 || arrivalMicros < bestArrivalMicros) {
                best = i;
                bestArrivalMicros = arrivalMicros;
            }
        }
        if (best < 0) {
            return 0;
        }
        targets[0] = best;
        return 1;
    }

    /** When a packet of {@code packetBytes} sent now on {@code link} is predicted to arrive, microseconds from now. */
    static double predictedArrivalMicros(LinkView link, int packetBytes) {
        long rate = link.deliveryRateBitsPerSecond();
        if (rate <= 0) {
            rate = link.configuredUploadBitsPerSecond();
        }
        if (rate <= 0) {
            rate = DEFAULT_RATE_BITS_PER_SECOND;
        }
        double queuedBytes = (double) Math.max(0, link.inFlightBytes()) + packetBytes;
        return Math.max(0, link.srttMicros()) * 0.5 + queuedBytes * 8 * MICROS_PER_SECOND / rate;
    }
}
