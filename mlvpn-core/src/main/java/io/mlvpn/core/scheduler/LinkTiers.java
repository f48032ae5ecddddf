package io.mlvpn.core.scheduler;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.LinkView;
import java.util.Arrays;

/**
 * The links a scheduler may give data to right now, by the order of use every scheduler follows:
 * the {@linkplain LinkState#usable() UP} links that are not {@linkplain LinkView#fallbackOnly()
 * fallback-only}; when there are none, the UP fallback-only links; when there are none, the
 * {@linkplain LinkState#degraded() degraded} links (LOSSY, HIGH_LATENCY, PROBATION) of either kind,
 * the normal ones listed before the fallback-only ones. SUSPECT, DOWN and CONNECTING links never
 * get data.
 *
 * <p>{@link #refresh} reads each link's state and fallback flag once, so a scheduler calls it on
 * every {@code select} and sees a state change before the engine's {@code linksChanged}. The
 * candidates are listed in that order (link index order within each kind), so a scheduler that
 * breaks ties by candidate position prefers the lowest index and, among degraded links, the normal
 * ones. It allocates only when the number of links changed.
 *
 * <p>Device-reader thread only, like the schedulers that own it.
 */
final class LinkTiers {
    /** Which group of links the candidates come from. */
    enum Tier {
        /** UP links that are not fallback-only. */
        NORMAL,
        /** UP fallback-only links: no normal link is UP. */
        FALLBACK,
        /** Degraded links of either kind: no link is UP. */
        DEGRADED,
        /** No link may get data. */
        NONE
    }

    private static final byte NORMAL_UP = 0;
    private static final byte FALLBACK_UP = 1;
    private static final byte NORMAL_DEGRADED = 2;
    private static final byte FALLBACK_DEGRADED = 3;
    private static final byte NEVER = 4;

    private byte[] kinds = new byte[0];
    private int[] candidates = new int[0];
    private int[] previousCandidates = new int[0];
    private boolean[] isCandidate = new boolean[0];
    private boolean[] wasCandidate = new boolean[0];
    private int count;
    private Tier tier = Tier.NONE;
    private boolean changed;

    /**
     * Re-reads every link's state and recomputes the candidates.
     *
     * @return the number of candidates
     */
    int refresh(LinkSet links) {
        int size = links.size();
        boolean resized = size != kinds.length;
        if (resized) {
            resize(size);
        }
        int normalUp = 0;
        int fallbackUp = 0;
        for (int i = 0; i < size; i++) {
            LinkView link = links.get(i);
            LinkState state = link.state();
            byte kind;
            if (state.usable()) {
                kind = link.fallbackOnly() ? FALLBACK_UP : NORMAL_UP;
            } else if (state.degraded()) {
                kind = link.fallbackOnly() ? FALLBACK_DEGRADED : NORMAL_DEGRADED;
            } else {
                kind = NEVER;
            }
            kinds[i] = kind;
            if (kind == NORMAL_UP) {
                normalUp++;
            } else if (kind == FALLBACK_UP) {
                fallbackUp++;
            }
        }
        int[] swap = previousCandidates;
        previousCandidates = candidates;
        candidates = swap;
        boolean[] swapFlags = wasCandidate;
        wasCandidate = isCandidate;
        isCandidate = swapFlags;
        int previousCount = count;

        count = 0;
        if (normalUp > 0) {
            tier = Tier.NORMAL;
            collect(NORMAL_UP, size);
        } else if (fallbackUp > 0) {
            tier = Tier.FALLBACK;
            collect(FALLBACK_UP, size);
        } else {
            collect(NORMAL_DEGRADED, size);
            collect(FALLBACK_DEGRADED, size);
            tier = count > 0 ? Tier.DEGRADED : Tier.NONE;
        }
        Arrays.fill(isCandidate, false);
        for (int k = 0; k < count; k++) {
            isCandidate[candidates[k]] = true;
        }
        changed = resized
                || !Arrays.equals(candidates, 0, count, previousCandidates, 0, previousCount);
        return count;
    }

    private void collect(byte kind, int size) {
        for (int i = 0; i < size; i++) {
            if (kinds[i] == kind) {
                candidates[count++] = i;
            }
        }
    }

    private void resize(int size) {
        // A new set of links: nothing about the old one carries over.
        kinds = new byte[size];
        candidates = new int[size];
        previousCandidates = new int[size];
        isCandidate = new boolean[size];
        wasCandidate = new boolean[size];
        count = 0;
    }

    /** Number of links seen by the last {@link #refresh}. */
    int linkCount() {
        return kinds.length;
    }

    /** Number of candidates after the last {@link #refresh}. */
    int count() {
        return count;
    }

    /** The index of candidate {@code k}, {@code 0 <= k < count()}, in the order of preference. */
    int candidate(int k) {
        return candidates[k];
    }

    /** The group the candidates come from. */
    Tier tier() {
        return tier;
    }

    /** True when link {@code i} is a candidate after the last {@link #refresh}. */
    boolean isCandidate(int i) {
        return isCandidate[i];
    }

    /** True when link {@code i} was a candidate before the last {@link #refresh}; false after a resize. */
    boolean wasCandidate(int i) {
        return wasCandidate[i];
    }

    /**
     * True when the last {@link #refresh} changed the candidates or their order, or saw a new
     * number of links.
     */
    boolean changed() {
        return changed;
    }
}
