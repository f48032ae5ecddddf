package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.LinkView;
import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.core.measure.Queueing;

/**
 * The default scheduler: weighted round robin exact in bytes, like {@link WeightedRoundRobinScheduler},
 * with weights taken from what each link is measured to deliver rather than from configuration.
 *
 * <p><b>Links in use.</b> The candidates of the order of use every scheduler follows (UP normal
 * links; when none, UP fallback-only links; when none, degraded links; never SUSPECT, DOWN or
 * CONNECTING), read from each link on every {@link #select}.
 *
 * <p><b>Weights</b>, in bits per second, per link in use:
 * <ul>
 *   <li>measured ({@link LinkView#deliveryRateBitsPerSecond()} &gt; 0) and a rate configured:
 *       the larger of the two;</li>
 *   <li>measured, no rate configured: the delivery rate times 1.25, unless the link is
 *       saturated: it loses more than 1 % of its packets, or its round trip stands well above its
 *       recent minimum ({@link Queueing#building}), so it queues what it is sent;</li>
 *   <li>not measured yet, a rate configured: the configured rate;</li>
 *   <li>neither: the average weight of the links that have one, so the link gets a fair share and
 *       with it a measurement; when no link has a rate at all, every link weighs the same.</li>
 * </ul>
 * When some link queues, measured weights are then scaled to even out the links' queueing delays
 * (by 0.8 to 1.25, see {@link #balanceQueues}). Every weight is then raised to at least 1/32 of
 * the largest, so a
 * link whose measurement collapsed still carries enough traffic to be measured again.
 *
 * <p><b>Why the headroom.</b> A link that is not saturated delivers what it is sent, so its
 * delivery rate shows our sending, not its capacity; weights equal to delivery rates would keep
 * any split forever. A configured rate is a claimed capacity, so the weight may grow up to it.
 * Without one, a link that delivers what it is given without queueing weighs a little more than
 * it delivered, while a saturated link, which queues (and then drops) what it cannot carry, weighs
 * exactly what it delivers; so when demand grows, traffic moves by up to 1.25 times per
 * re-read from the links that queue toward those that keep up. Limits: the rates are as stale as
 * the engine's estimator, and an overstated configured rate is trusted; the engine's per-link
 * pacing and the LOSSY and HIGH_LATENCY states, which take a link out of the normal tier,
 * complete the picture.
 *
 * <p><b>Bounded work.</b> {@link #select} reads every link's state (to find the links in use)
 * and, only when the links in use changed, on {@link #linksChanged}, or after about 10 ms worth of
 * bytes at the current weights (the sum of the weights / 800, at least 16 KiB
 * and at most 4 MiB), re-reads the links' rates and loss: O(links)
 * per packet, no allocation. Between re-reads the split is exact in bytes.
 *
 * <p><b>Threading.</b> Device-reader thread only, like every {@link Scheduler}; {@link #select}
 * allocates nothing (it allocates only when the number of links changed).
 */
public final class AdaptiveScheduler implements Scheduler {
    /** Factor on the delivery rate of a link that is not losing and has no configured rate. */
    static final double HEADROOM = 1.25;
    /** Above this loss ratio a link gets no headroom: it is taken as saturated. */
    static final double HEADROOM_MAX_LOSS_RATIO = 0.01;
    /** Queueing delay that counts as "no queue" in the balance factor, microseconds. */
    static final double BALANCE_CONSTANT_MICROS = 5_000;
    /** Smallest balance factor: a link with the longest queue keeps at least this share of its weight. */
    static final double MIN_BALANCE = 0.8;
    /** Largest balance factor. */
    static final double MAX_BALANCE = 1.25;
    /** No weight is below the largest divided by this. */
    static final long PROBE_FLOOR_DIVISOR = 32;
    /** Fewest bytes between two re-reads of the rates. */
    static final long MIN_REFRESH_BYTES = 16 * 1024;
    /** Most bytes between two re-reads of the rates (10 ms at 3.2 Gbit/s). */
    static final long MAX_REFRESH_BYTES = 4 * 1024 * 1024;
    /** Bits per second to bytes per 10 ms. */
    private static final long BITS_PER_SECOND_PER_REFRESH_BYTE = 800;

    private final LinkTiers tiers = new LinkTiers();
    private final VirtualTimeWeights weights = new VirtualTimeWeights();
    private long[] weightBitsPerSecond = new long[0];
    private long bytesUntilRefresh;

    /** Creates a scheduler; its first {@link #linksChanged} or {@link #select} sizes it. */
    public AdaptiveScheduler() {
    }

    @Override
    public String name() {
        return "adaptive";
    }

    /** Recomputes the links in use and re-reads their rates. */
    @Override
    public void linksChanged(LinkSet links) {
        tiers.refresh(links);
        reweigh(links);
    }

    @Override
    public int select(LinkSet links, int packetBytes, int[] targets) {
        if (packetBytes < 0) {
            throw new IllegalArgumentException("packetBytes < 0: " + packetBytes);
        }
        if (targets.length == 0) {
            return 0;
        }
        tiers.refresh(links);
        if (tiers.changed() || bytesUntilRefresh <= 0) {
            reweigh(links);
        }
        int best = weights.pick(tiers, packetBytes);
        if (best < 0) {
            return 0;
        }
        bytesUntilRefresh -= packetBytes;
        targets[0] = best;
        return 1;
    }

    private void reweigh(LinkSet links) {
        int linkCount = tiers.linkCount();
        if (weights.size() != linkCount) {
            weights.resize(linkCount);
            weightBitsPerSecond = new long[linkCount];
        }
        if (tiers.changed()) {
            weights.admit(tiers);
        }
        int count = tiers.count();
        double ratedSum = 0;
        int rated = 0;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            long weight = rateOf(links.get(i));
            weightBitsPerSecond[i] = weight;
            if (weight > 0) {
                ratedSum += weight;
                rated++;
            }
        }
        if (rated == 0) {
            weights.setEqualWeights(tiers);
            bytesUntilRefresh = MIN_REFRESH_BYTES;
            return;
        }
        balanceQueues(links, count);
        long average = (long) (ratedSum / rated);
        long max = 0;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            if (weightBitsPerSecond[i] <= 0) {
                weightBitsPerSecond[i] = average;
            }
            max = Math.max(max, weightBitsPerSecond[i]);
        }
        long floor = Math.max(1, max / PROBE_FLOOR_DIVISOR);
        double total = 0;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            weightBitsPerSecond[i] = Math.max(floor, weightBitsPerSecond[i]);
            total += weightBitsPerSecond[i];
        }
        weights.setWeights(weightBitsPerSecond, tiers);
        long refreshBytes = (long) (total / BITS_PER_SECOND_PER_REFRESH_BYTE);
        bytesUntilRefresh = Math.min(MAX_REFRESH_BYTES, Math.max(MIN_REFRESH_BYTES, refreshBytes));
    }

    /**
     * Evens out the links' queues once one of them queues what it is sent: each measured weight
     * is multiplied by {@code (Qavg + C) / (Q + C)}, {@code Q} being the link's queueing delay
     * ({@code srtt - minRtt}), {@code Qavg} their mean and {@code C} {@link #BALANCE_CONSTANT_MICROS},
     * kept within {@link #MIN_BALANCE} .. {@link #MAX_BALANCE}. Delivery rates alone cannot tell
     * a 52:48 split of two equal links from 50:50, and at 52:48 one queue fills and drops while
     * the other runs dry; a single TCP stream then backs off for both. Equal queues also keep the
     * reordering the receiver must absorb small.
     */
    private void balanceQueues(LinkSet links, int count) {
        long sum = 0;
        int measured = 0;
        boolean queueing = false;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            long queue = queueMicros(links.get(i), i);
            if (queue >= 0) {
                sum += queue;
                measured++;
                queueing |= Queueing.building(links.get(i).srttMicros(), links.get(i).minRttMicros());
            }
        }
        if (!queueing || measured < 2) {
            return;
        }
        double average = (double) sum / measured;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            long queue = queueMicros(links.get(i), i);
            if (queue >= 0) {
                double factor = (average + BALANCE_CONSTANT_MICROS) / (queue + BALANCE_CONSTANT_MICROS);
                factor = Math.max(MIN_BALANCE, Math.min(MAX_BALANCE, factor));
                weightBitsPerSecond[i] = (long) (weightBitsPerSecond[i] * factor);
            }
        }
    }

    /** Link {@code i}'s queueing delay ({@code srtt - minRtt}, at least 0), or -1 when it has no rate or RTT yet. */
    private long queueMicros(LinkView link, int i) {
        if (link.minRttMicros() <= 0 || link.srttMicros() <= 0 || weightBitsPerSecond[i] <= 0) {
            return -1;
        }
        return Math.max(0, link.srttMicros() - link.minRttMicros());
    }

    /** The link's weight before averaging and flooring, bits per second; 0 when it has no rate. */
    private static long rateOf(LinkView link) {
        long measured = link.deliveryRateBitsPerSecond();
        long configured = link.configuredUploadBitsPerSecond();
        if (measured > 0) {
            if (configured > 0) {
                return Math.max(measured, configured);
            }
            boolean saturated = link.lossRatio() > HEADROOM_MAX_LOSS_RATIO
                    || Queueing.building(link.srttMicros(), link.minRttMicros());
            // The cast saturates at Long.MAX_VALUE, which the weight ratio cap then handles.
            return saturated ? measured : (long) (measured * HEADROOM);
        }
        return Math.max(0, configured);
    }

    /** Link {@code i}'s current weight, bits per second, for tests. */
    long weightBitsPerSecond(int i) {
        return weightBitsPerSecond[i];
    }
}
