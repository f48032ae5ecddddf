package io.mlvpn.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkState;
import io.mlvpn.core.scheduler.LinkTiers.Tier;
import org.junit.jupiter.api.Test;

class LinkTiersTest {
    private final LinkTiers tiers = new LinkTiers();

    /** Links 0..5: normal UP, fallback UP, normal LOSSY, fallback HIGH_LATENCY, normal PROBATION, normal SUSPECT. */
    private static FakeLinkSet mixed() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0, 0, 0, 0);
        links.get(1).fallbackOnly = true;
        links.get(2).state = LinkState.LOSSY;
        links.get(3).state = LinkState.HIGH_LATENCY;
        links.get(3).fallbackOnly = true;
        links.get(4).state = LinkState.PROBATION;
        links.get(5).state = LinkState.SUSPECT;
        return links;
    }

    @Test
    void normalUpLinksComeFirst() {
        FakeLinkSet links = mixed();
        links.get(4).state = LinkState.UP;
        assertEquals(2, tiers.refresh(links));
        assertEquals(Tier.NORMAL, tiers.tier());
        assertArrayEquals(new int[] {0, 4}, candidates());
        assertTrue(tiers.isCandidate(0));
        assertFalse(tiers.isCandidate(1));
    }

    @Test
    void fallbackLinksOnlyWhenNoNormalLinkIsUp() {
        FakeLinkSet links = mixed();
        links.get(0).state = LinkState.DOWN;
        assertEquals(1, tiers.refresh(links));
        assertEquals(Tier.FALLBACK, tiers.tier());
        assertArrayEquals(new int[] {1}, candidates());
    }

    @Test
    void degradedLinksOfEitherKindWhenNoLinkIsUpNormalOnesFirst() {
        FakeLinkSet links = mixed();
        links.get(0).state = LinkState.CONNECTING;
        links.get(1).state = LinkState.PROBATION;
        assertEquals(4, tiers.refresh(links));
        assertEquals(Tier.DEGRADED, tiers.tier());
        // Normal degraded 2 and 4, then fallback-only degraded 1 and 3; SUSPECT 5 never.
        assertArrayEquals(new int[] {2, 4, 1, 3}, candidates());
    }

    @Test
    void suspectDownAndConnectingLinksAreNeverCandidates() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0, 0);
        links.get(0).state = LinkState.SUSPECT;
        links.get(1).state = LinkState.DOWN;
        links.get(2).state = LinkState.CONNECTING;
        links.get(3).state = LinkState.SUSPECT;
        links.get(3).fallbackOnly = true;
        assertEquals(0, tiers.refresh(links));
        assertEquals(Tier.NONE, tiers.tier());
    }

    @Test
    void reportsChangesAndWhatWasACandidate() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0);
        tiers.refresh(links);
        assertTrue(tiers.changed(), "first refresh");
        tiers.refresh(links);
        assertFalse(tiers.changed(), "same states");

        links.get(1).state = LinkState.SUSPECT;
        tiers.refresh(links);
        assertTrue(tiers.changed());
        assertArrayEquals(new int[] {0, 2}, candidates());
        assertTrue(tiers.wasCandidate(1));
        assertFalse(tiers.isCandidate(1));

        links.get(1).state = LinkState.UP;
        tiers.refresh(links);
        assertTrue(tiers.changed());
        assertFalse(tiers.wasCandidate(1));
        assertTrue(tiers.isCandidate(1));
        assertTrue(tiers.wasCandidate(0));
    }

    @Test
    void aNewSetOfLinksIsAChangeEvenWithTheSameCandidates() {
        tiers.refresh(FakeLinkSet.withRates(0, 0));
        FakeLinkSet three = FakeLinkSet.withRates(0, 0, 0);
        three.get(2).state = LinkState.DOWN;
        tiers.refresh(three);
        assertTrue(tiers.changed());
        assertEquals(3, tiers.linkCount());
        assertArrayEquals(new int[] {0, 1}, candidates());
        assertFalse(tiers.wasCandidate(0), "history does not carry over to a new set");
    }

    @Test
    void emptySetHasNoCandidates() {
        assertEquals(0, tiers.refresh(FakeLinkSet.withRates()));
        assertEquals(Tier.NONE, tiers.tier());
    }

    private int[] candidates() {
        int[] result = new int[tiers.count()];
        for (int k = 0; k < result.length; k++) {
            result[k] = tiers.candidate(k);
        }
        return result;
    }
}
