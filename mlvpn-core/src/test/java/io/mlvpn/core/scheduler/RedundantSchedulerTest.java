package io.mlvpn.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlvpn.api.LinkState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RedundantSchedulerTest {
    private final int[] targets = new int[8];

    /** Four links with round trips of 30, 10, 20 and 40 ms. */
    private static FakeLinkSet fourLinks() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0, 0);
        long[] srttMillis = {30, 10, 20, 40};
        for (int i = 0; i < srttMillis.length; i++) {
            links.get(i).srttMicros = srttMillis[i] * 1000;
        }
        return links;
    }

    private int[] select(RedundantScheduler scheduler, FakeLinkSet links, int[] into) {
        int n = scheduler.select(links, 1200, into);
        return Arrays.copyOf(into, n);
    }

    @Test
    void isNamedRedundantAndRejectsFewerThanTwoCopies() {
        assertEquals("redundant", new RedundantScheduler(2).name());
        assertEquals(3, new RedundantScheduler(3).copies());
        assertEquals("copies < 2: 1", assertThrows(IllegalArgumentException.class, () -> new RedundantScheduler(1)).getMessage());
    }

    @Test
    void sendsOnTheNDistinctLinksWithTheLowestRoundTrip() {
        FakeLinkSet links = fourLinks();
        RedundantScheduler two = new RedundantScheduler(2);
        two.linksChanged(links);
        assertArrayEquals(new int[] {1, 2}, select(two, links, targets));
        RedundantScheduler three = new RedundantScheduler(3);
        three.linksChanged(links);
        assertArrayEquals(new int[] {1, 2, 0}, select(three, links, targets));
    }

    @Test
    void lowerLossBreaksRoundTripTiesAndUnmeasuredLinksRankLast() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0, 0);
        links.get(0).srttMicros = 0;
        links.get(1).srttMicros = 15_000;
        links.get(1).lossRatio = 0.02;
        links.get(2).srttMicros = 15_000;
        links.get(3).srttMicros = 15_000;
        links.get(3).lossRatio = 0.01;
        RedundantScheduler scheduler = new RedundantScheduler(4);
        scheduler.linksChanged(links);
        assertArrayEquals(new int[] {2, 3, 1, 0}, select(scheduler, links, targets));
    }

    @Test
    void sendsOnFewerWhenFewerAreCandidatesOrTargetsAreShort() {
        FakeLinkSet links = fourLinks();
        RedundantScheduler scheduler = new RedundantScheduler(3);
        links.get(0).state = LinkState.DOWN;
        links.get(1).state = LinkState.SUSPECT;
        links.get(2).state = LinkState.CONNECTING;
        scheduler.linksChanged(links);
        assertArrayEquals(new int[] {3}, select(scheduler, links, targets));
        links.get(2).state = LinkState.UP;
        assertArrayEquals(new int[] {2}, select(scheduler, links, new int[1]));
        assertEquals(0, scheduler.select(links, 1200, new int[0]));
    }

    @Test
    void reRanksAtOnceWhenAStateChanges() {
        FakeLinkSet links = fourLinks();
        RedundantScheduler scheduler = new RedundantScheduler(2);
        scheduler.linksChanged(links);
        select(scheduler, links, targets);
        links.get(1).state = LinkState.SUSPECT;
        assertArrayEquals(new int[] {2, 0}, select(scheduler, links, targets));
    }

    @Test
    void followsRoundTripChangesOnLinksChangedAndEveryRerankPackets() {
        FakeLinkSet links = fourLinks();
        RedundantScheduler scheduler = new RedundantScheduler(2);
        scheduler.linksChanged(links);
        links.get(3).srttMicros = 5_000;
        // The ranking is kept between re-rankings, so the first packets still use the old one.
        assertArrayEquals(new int[] {1, 2}, select(scheduler, links, targets));
        for (int i = 1; i < RedundantScheduler.RERANK_PACKETS; i++) {
            select(scheduler, links, targets);
        }
        assertArrayEquals(new int[] {3, 1}, select(scheduler, links, targets));

        links.get(0).srttMicros = 1_000;
        scheduler.linksChanged(links);
        assertArrayEquals(new int[] {0, 3}, select(scheduler, links, targets));
    }

    @Test
    void followsTheOrderOfUse() {
        FakeLinkSet links = fourLinks();
        RedundantScheduler scheduler = new RedundantScheduler(2);
        links.get(1).fallbackOnly = true;
        links.get(2).fallbackOnly = true;
        links.get(3).state = LinkState.LOSSY;
        scheduler.linksChanged(links);
        assertArrayEquals(new int[] {0}, select(scheduler, links, targets), "fallback and degraded links wait");
        links.get(0).state = LinkState.DOWN;
        assertArrayEquals(new int[] {1, 2}, select(scheduler, links, targets), "fallback links when no normal one is up");
        links.get(1).state = LinkState.PROBATION;
        links.get(2).state = LinkState.DOWN;
        assertArrayEquals(new int[] {1, 3}, select(scheduler, links, targets), "degraded links of either kind");
    }
}
