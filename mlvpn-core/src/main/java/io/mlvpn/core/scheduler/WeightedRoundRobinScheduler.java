package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.Scheduler;

/**
 * Weighted round robin in bytes, MLVPN's scheduler without its rounding: over time each usable
 * link carries a share of the bytes proportional to its configured upload bandwidth.
 *
 * <p>Weights: each link weighs its {@link io.mlvpn.api.scheduler.LinkView#configuredUploadBitsPerSecond()}.
 * If any usable link has none configured (0), every usable link weighs the same, as in MLVPN.
 * Weights further apart than 2^20 : 1 are treated as 2^20 : 1.
 *
 * <p>Algorithm: each link has a virtual time; sending {@code n} bytes on a link adds
 * {@code n / weight} to it (long fixed point, relative precision about 1e-5). A packet goes to the
 * usable link with the smallest virtual time, the lowest index on a tie, so the bytes per link
 * never stray from their shares by more than about one packet. Links that are not usable are
 * skipped. A link that becomes usable starts at the smallest virtual time of the links that
 * stayed usable, so the time it was down does not turn into a burst. Usability is read from each
 * link on every {@link #select}, so a state change is seen even before {@link #linksChanged}.
 * Packets above 16 MiB are charged as 16 MiB.
 *
 * <p><b>Threading.</b> Device-reader thread only, like every {@link Scheduler}; {@link #select}
 * allocates nothing (it allocates only when the number of links changed without a call to
 * {@link #linksChanged}).
 */
public final class WeightedRoundRobinScheduler implements Scheduler {
    /** Virtual time per byte on the heaviest link; sets the precision of the fixed point. */
    static final long COST_SCALE = 1L << 16;
    /** The largest weight ratio honoured, so one increment stays far below overflow. */
    static final long MAX_WEIGHT_RATIO = 1L << 20;
    /** The largest packet size charged: with the two limits above, one increment is at most 2^60. */
    static final int MAX_CHARGED_BYTES = 1 << 24;
    /** Virtual times are shifted down when one passes this, long before they could overflow. */
    static final long REBASE_THRESHOLD = 1L << 61;

    private long[] virtualTimes = new long[0];
    private long[] costPerByte = new long[0];
    private boolean[] usable = new boolean[0];
    private boolean[] wasUsable = new boolean[0];

    /** Creates a scheduler; its first {@link #linksChanged} or {@link #select} sizes it. */
    public WeightedRoundRobinScheduler() {
    }

    @Override
    public String name() {
        return "wrr";
    }

    /** Recomputes the weights from the links' configured bandwidths and current states. */
    @Override
    public void linksChanged(LinkSet links) {
        int count = links.size();
        if (count != virtualTimes.length) {
            // A new set of links: their history does not carry over.
            virtualTimes = new long[count];
            costPerByte = new long[count];
            usable = new boolean[count];
            wasUsable = new boolean[count];
        }
        for (int i = 0; i < count; i++) {
            usable[i] = links.get(i).state().usable();
        }
        recomputeCosts(links);
    }

    @Override
    public int select(LinkSet links, int packetBytes, int[] targets) {
        if (packetBytes < 0) {
            throw new IllegalArgumentException("packetBytes < 0: " + packetBytes);
        }
        if (targets.length == 0) {
            return 0;
        }
        int count = links.size();
        if (count != virtualTimes.length) {
            linksChanged(links);
        }
        if (refreshUsable(links, count)) {
            recomputeCosts(links);
        }
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            if (usable[i] && virtualTimes[i] < bestTime) {
                best = i;
                bestTime = virtualTimes[i];
            }
        }
        if (best < 0) {
            return 0;
        }
        long charged = Math.min(packetBytes, MAX_CHARGED_BYTES);
        virtualTimes[best] = bestTime + charged * costPerByte[best];
        if (virtualTimes[best] > REBASE_THRESHOLD) {
            rebase(count);
        }
        targets[0] = best;
        return 1;
    }

    /**
     * Reads every link's state once; starts each newly usable link at the smallest virtual time of
     * the links that stayed usable (0 when none did).
     *
     * @return true when any link's usability changed
     */
    private boolean refreshUsable(LinkSet links, int count) {
        boolean changed = false;
        long stayedMin = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            boolean now = links.get(i).state().usable();
            usable[i] = now;
            if (now != wasUsable[i]) {
                changed = true;
            } else if (now && virtualTimes[i] < stayedMin) {
                stayedMin = virtualTimes[i];
            }
        }
        if (changed) {
            long start = stayedMin == Long.MAX_VALUE ? 0 : stayedMin;
            for (int i = 0; i < count; i++) {
                if (usable[i] && !wasUsable[i]) {
                    virtualTimes[i] = start;
                }
                wasUsable[i] = usable[i];
            }
        }
        return changed;
    }

    private void recomputeCosts(LinkSet links) {
        int count = costPerByte.length;
        long maxWeight = 0;
        boolean unsetUsable = false;
        for (int i = 0; i < count; i++) {
            long weight = links.get(i).configuredUploadBitsPerSecond();
            maxWeight = Math.max(maxWeight, weight);
            if (usable[i] && weight <= 0) {
                unsetUsable = true;
            }
        }
        boolean equal = unsetUsable || maxWeight <= 0;
        long minWeight = Math.max(1, maxWeight / MAX_WEIGHT_RATIO);
        for (int i = 0; i < count; i++) {
            if (equal) {
                costPerByte[i] = COST_SCALE;
            } else {
                long weight = Math.max(minWeight, links.get(i).configuredUploadBitsPerSecond());
                costPerByte[i] = Math.round((double) COST_SCALE * maxWeight / weight);
            }
        }
    }

    /** Shifts every usable link's virtual time down by the smallest, keeping their differences. */
    private void rebase(int count) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            if (usable[i]) {
                min = Math.min(min, virtualTimes[i]);
            }
        }
        for (int i = 0; i < count; i++) {
            // Links not usable get a fresh start when they return, so their times do not matter.
            virtualTimes[i] = usable[i] ? virtualTimes[i] - min : 0;
        }
    }

    /** Link {@code i}'s virtual time, for tests. */
    long virtualTime(int i) {
        return virtualTimes[i];
    }

    /** Link {@code i}'s virtual time per byte, for tests. */
    long costPerByte(int i) {
        return costPerByte[i];
    }
}
