package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.LinkView;
import io.mlvpn.api.scheduler.Scheduler;

/**
 * Sends every packet on the {@code copies} best links at once, trading bandwidth for loss and
 * latency: the receiver keeps the first copy and drops the others on the data sequence.
 *
 * <p><b>Links in use.</b> The candidates of the order of use every scheduler follows (UP normal
 * links; when none, UP fallback-only links; when none, degraded links; never SUSPECT, DOWN or
 * CONNECTING), read from each link on every {@link #select}. When fewer than {@code copies} are
 * candidates, every candidate gets the packet (at least one while any is); never more links than
 * the {@code targets} array holds.
 *
 * <p><b>Best</b> means the lowest smoothed round-trip time, then the lowest loss, then the first in
 * candidate order; a link with no round-trip sample yet ranks after those with one. The ranking is
 * recomputed on {@link #linksChanged}, whenever the candidates change, and every
 * {@value #RERANK_PACKETS} packets so it follows the round-trip times between state changes.
 *
 * <p><b>Threading.</b> Device-reader thread only, like every {@link Scheduler}; {@link #select}
 * reads every link's state (O(links)), ranks by insertion sort only when the ranking is
 * recomputed, and allocates nothing (it allocates only when the number of links changed).
 */
public final class RedundantScheduler implements Scheduler {
    /** Packets between two rankings when the candidates do not change. */
    public static final int RERANK_PACKETS = 1024;

    private final int copies;
    private final LinkTiers tiers = new LinkTiers();
    private int[] ranked = new int[0];
    private long[] srttKeys = new long[0];
    private double[] lossRatios = new double[0];
    private int rankedCount;
    private int packetsSinceRank;

    /**
     * Creates a scheduler.
     *
     * @param copies links each packet is sent on, 2 or more
     * @throws IllegalArgumentException when {@code copies < 2}
     */
    public RedundantScheduler(int copies) {
        if (copies < 2) {
            throw new IllegalArgumentException("copies < 2: " + copies);
        }
        this.copies = copies;
    }

    @Override
    public String name() {
        return "redundant";
    }

    /** Links each packet is sent on when that many are candidates. */
    public int copies() {
        return copies;
    }

    /** Recomputes the candidates and their ranking. */
    @Override
    public void linksChanged(LinkSet links) {
        tiers.refresh(links);
        rank(links);
    }

    @Override
    public int select(LinkSet links, int packetBytes, int[] targets) {
        if (packetBytes < 0) {
            throw new IllegalArgumentException("packetBytes < 0: " + packetBytes);
        }
        tiers.refresh(links);
        if (tiers.changed() || packetsSinceRank >= RERANK_PACKETS) {
            rank(links);
        }
        packetsSinceRank++;
        int n = Math.min(Math.min(copies, rankedCount), targets.length);
        System.arraycopy(ranked, 0, targets, 0, n);
        return n;
    }

    private void rank(LinkSet links) {
        int linkCount = tiers.linkCount();
        if (ranked.length != linkCount) {
            ranked = new int[linkCount];
            srttKeys = new long[linkCount];
            lossRatios = new double[linkCount];
        }
        rankedCount = tiers.count();
        for (int k = 0; k < rankedCount; k++) {
            int i = tiers.candidate(k);
            LinkView link = links.get(i);
            long srtt = link.srttMicros();
            srttKeys[i] = srtt > 0 ? srtt : Long.MAX_VALUE;
            lossRatios[i] = link.lossRatio();
            // Insertion sort, stable: candidate order breaks ties.
            int j = k;
            while (j > 0 && better(i, ranked[j - 1])) {
                ranked[j] = ranked[j - 1];
                j--;
            }
            ranked[j] = i;
        }
        packetsSinceRank = 0;
    }

    private boolean better(int a, int b) {
        if (srttKeys[a] != srttKeys[b]) {
            return srttKeys[a] < srttKeys[b];
        }
        return lossRatios[a] < lossRatios[b];
    }
}
