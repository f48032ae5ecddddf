package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.Scheduler;

/**
 * Weighted round robin in bytes, MLVPN's scheduler without its rounding: over time each link in
 * use carries a share of the bytes proportional to its configured upload bandwidth.
 *
 * <p>Links in use: the candidates of the order of use every scheduler follows (UP normal links;
 * when none, UP fallback-only links; when none, degraded links; never SUSPECT, DOWN or CONNECTING),
 * read from each link on every {@link #select}, so a state change is seen even before
 * {@link #linksChanged}.
 *
 * <p>Weights: each link weighs its {@link io.mlvpn.api.scheduler.LinkView#configuredUploadBitsPerSecond()}.
 * If any link in use has none configured (0), every link in use weighs the same, as in MLVPN.
 * The split is exact in bytes, and a link that comes back does not burst (see the shared
 * virtual-time algorithm in {@code VirtualTimeWeights}).
 *
 * <p><b>Threading.</b> Device-reader thread only, like every {@link Scheduler}; {@link #select}
 * allocates nothing (it allocates only when the number of links changed).
 */
public final class WeightedRoundRobinScheduler implements Scheduler {
    private final LinkTiers tiers = new LinkTiers();
    private final VirtualTimeWeights weights = new VirtualTimeWeights();
    private long[] configuredRates = new long[0];

    /** Creates a scheduler; its first {@link #linksChanged} or {@link #select} sizes it. */
    public WeightedRoundRobinScheduler() {
    }

    @Override
    public String name() {
        return "wrr";
    }

    /** Recomputes the links in use and their weights from the configured bandwidths. */
    @Override
    public void linksChanged(LinkSet links) {
        refresh(links, true);
    }

    @Override
    public int select(LinkSet links, int packetBytes, int[] targets) {
        if (packetBytes < 0) {
            throw new IllegalArgumentException("packetBytes < 0: " + packetBytes);
        }
        if (targets.length == 0) {
            return 0;
        }
        refresh(links, false);
        int best = weights.pick(tiers, packetBytes);
        if (best < 0) {
            return 0;
        }
        targets[0] = best;
        return 1;
    }

    private void refresh(LinkSet links, boolean reweigh) {
        tiers.refresh(links);
        if (!tiers.changed() && !reweigh) {
            return;
        }
        int linkCount = tiers.linkCount();
        if (weights.size() != linkCount) {
            weights.resize(linkCount);
            configuredRates = new long[linkCount];
        }
        weights.admit(tiers);
        boolean anyUnset = false;
        for (int k = 0, n = tiers.count(); k < n; k++) {
            int i = tiers.candidate(k);
            long rate = links.get(i).configuredUploadBitsPerSecond();
            configuredRates[i] = rate;
            anyUnset |= rate <= 0;
        }
        if (anyUnset) {
            weights.setEqualWeights(tiers);
        } else {
            weights.setWeights(configuredRates, tiers);
        }
    }

    /** Link {@code i}'s virtual time, for tests. */
    long virtualTime(int i) {
        return weights.virtualTime(i);
    }

    /** Link {@code i}'s virtual time per byte, for tests. */
    long costPerByte(int i) {
        return weights.costPerByte(i);
    }
}
