package io.mlvpn.core.scheduler;

import java.util.Arrays;

/**
 * Weighted round robin exact in bytes, over the candidates of a {@link LinkTiers}: the algorithm
 * shared by the schedulers that split bytes by weight.
 *
 * <p>Each link has a virtual time; sending {@code n} bytes on a link adds {@code n / weight} to it
 * (long fixed point, relative precision about 1e-5). A packet goes to the candidate with the
 * smallest virtual time, the first in candidate order on a tie, so the bytes per link never stray
 * from their shares by more than about one packet. A link that becomes a candidate starts at the
 * smallest virtual time of the candidates that stayed, so the time it was out does not turn into a
 * burst. Weights further apart than 2^20 : 1 are treated as 2^20 : 1; packets above 16 MiB are
 * charged as 16 MiB.
 *
 * <p>Device-reader thread only; allocates only in {@link #resize}.
 */
final class VirtualTimeWeights {
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

    /** Number of links sized for. */
    int size() {
        return virtualTimes.length;
    }

    /** Sizes for {@code linkCount} links, forgetting every virtual time and weight. */
    void resize(int linkCount) {
        virtualTimes = new long[linkCount];
        costPerByte = new long[linkCount];
        Arrays.fill(costPerByte, COST_SCALE);
    }

    /**
     * Starts each link that just became a candidate at the smallest virtual time of the candidates
     * that stayed (0 when none did). Call after each {@link LinkTiers#refresh} that {@linkplain
     * LinkTiers#changed() changed} the candidates.
     */
    void admit(LinkTiers tiers) {
        long stayedMin = Long.MAX_VALUE;
        int count = tiers.count();
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            if (tiers.wasCandidate(i) && virtualTimes[i] < stayedMin) {
                stayedMin = virtualTimes[i];
            }
        }
        long start = stayedMin == Long.MAX_VALUE ? 0 : stayedMin;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            if (!tiers.wasCandidate(i)) {
                virtualTimes[i] = start;
            }
        }
    }

    /**
     * Sets the candidates' weights from {@code weights} (indexed by link, any positive unit; a value
     * below 1 counts as 1). Other links' entries are not read.
     */
    void setWeights(long[] weights, LinkTiers tiers) {
        int count = tiers.count();
        long maxWeight = 1;
        for (int k = 0; k < count; k++) {
            maxWeight = Math.max(maxWeight, weights[tiers.candidate(k)]);
        }
        long minWeight = Math.max(1, maxWeight / MAX_WEIGHT_RATIO);
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            long weight = Math.max(minWeight, weights[i]);
            costPerByte[i] = Math.round((double) COST_SCALE * maxWeight / weight);
        }
    }

    /** Gives every candidate the same weight. */
    void setEqualWeights(LinkTiers tiers) {
        int count = tiers.count();
        for (int k = 0; k < count; k++) {
            costPerByte[tiers.candidate(k)] = COST_SCALE;
        }
    }

    /**
     * Picks the candidate for a packet of {@code packetBytes} and charges it.
     *
     * @return the link index, or -1 when there is no candidate
     */
    int pick(LinkTiers tiers, int packetBytes) {
        int count = tiers.count();
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int k = 0; k < count; k++) {
            int i = tiers.candidate(k);
            if (virtualTimes[i] < bestTime) {
                best = i;
                bestTime = virtualTimes[i];
            }
        }
        if (best < 0) {
            return -1;
        }
        long charged = Math.min(packetBytes, MAX_CHARGED_BYTES);
        virtualTimes[best] = bestTime + charged * costPerByte[best];
        if (virtualTimes[best] > REBASE_THRESHOLD) {
            rebase(tiers);
        }
        return best;
    }

    /** Shifts every candidate's virtual time down by the smallest, keeping their differences. */
    private void rebase(LinkTiers tiers) {
        int count = tiers.count();
        long min = Long.MAX_VALUE;
        for (int k = 0; k < count; k++) {
            min = Math.min(min, virtualTimes[tiers.candidate(k)]);
        }
        for (int i = 0; i < virtualTimes.length; i++) {
            // Other links get a fresh start when they return, so their times do not matter.
            virtualTimes[i] = tiers.isCandidate(i) ? virtualTimes[i] - min : 0;
        }
    }

    /** Link {@code i}'s virtual time. */
    long virtualTime(int i) {
        return virtualTimes[i];
    }

    /** Link {@code i}'s virtual time per byte. */
    long costPerByte(int i) {
        return costPerByte[i];
    }
}
