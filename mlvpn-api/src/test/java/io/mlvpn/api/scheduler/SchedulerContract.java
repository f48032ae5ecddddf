package io.mlvpn.api.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Scheduler} must show. An implementation's test extends this class and
 * supplies {@link #newScheduler}; each test gets a new instance, and calls {@link
 * Scheduler#linksChanged} before its first {@link Scheduler#select}, as the engine does.
 *
 * <p>The order of use (see {@link LinkState}) is part of the contract: UP links that are not
 * fallback-only first; when none, UP fallback-only links; when none, degraded links; SUSPECT, DOWN
 * and CONNECTING links never.
 */
public abstract class SchedulerContract {
    private static final int PACKET_BYTES = 1200;
    private static final int PICKS = 2000;
    private static final Set<LinkState> NEVER = EnumSet.of(LinkState.DOWN, LinkState.CONNECTING, LinkState.SUSPECT);

    private Scheduler scheduler;

    /** A new scheduler, as the engine would create it for one tunnel. */
    protected abstract Scheduler newScheduler();

    @BeforeEach
    final void createScheduler() {
        scheduler = newScheduler();
    }

    @Test
    void hasAName() {
        assertFalse(scheduler.name().isBlank(), "name");
    }

    @Test
    void selectsNothingWhenNoLinkCanTakeData() {
        TestLinks links = new TestLinks(LinkState.DOWN, LinkState.CONNECTING, LinkState.SUSPECT);
        links.get(2).fallbackOnly = true;
        scheduler.linksChanged(links);
        int[] targets = {-7, -7, -7};
        assertEquals(0, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(-7, targets[0], "targets written although none was chosen");

        TestLinks none = new TestLinks();
        scheduler.linksChanged(none);
        assertEquals(0, scheduler.select(none, PACKET_BYTES, targets));
    }

    @Test
    void selectsAtLeastOneLinkWhileOneIsUp() {
        TestLinks links = new TestLinks(LinkState.DOWN, LinkState.UP);
        scheduler.linksChanged(links);
        int[] targets = new int[3];
        for (int i = 0; i < PICKS; i++) {
            assertEquals(1, scheduler.select(links, PACKET_BYTES, targets), "links chosen at pick " + i);
            assertEquals(1, targets[0]);
        }
    }

    @Test
    void neverSelectsADownConnectingOrSuspectLink() {
        TestLinks links = new TestLinks(LinkState.SUSPECT, LinkState.UP, LinkState.DOWN, LinkState.UP,
                LinkState.CONNECTING, LinkState.LOSSY, LinkState.UP);
        links.measureAll();
        scheduler.linksChanged(links);
        int[] targets = new int[links.size()];
        for (int i = 0; i < PICKS; i++) {
            int n = scheduler.select(links, 40 + i % 1461, targets);
            assertTrue(n >= 1, "nothing chosen at pick " + i);
            assertValid(links, targets, n);
            for (int t = 0; t < n; t++) {
                assertTrue(links.get(targets[t]).state.usable(), "pick " + i + " chose link " + targets[t] + " in state "
                        + links.get(targets[t]).state + " while normal links are up");
            }
        }
    }

    @Test
    void usesFallbackOnlyLinksOnlyWhenNoNormalLinkIsUp() {
        TestLinks links = new TestLinks(LinkState.UP, LinkState.UP, LinkState.UP);
        links.get(1).fallbackOnly = true;
        links.get(2).fallbackOnly = true;
        links.measureAll();
        scheduler.linksChanged(links);
        int[] targets = new int[3];
        for (int i = 0; i < PICKS; i++) {
            int n = scheduler.select(links, PACKET_BYTES, targets);
            assertEquals(1, n, "only one normal link is up");
            assertEquals(0, targets[0]);
        }
        links.get(0).state = LinkState.DOWN;
        scheduler.linksChanged(links);
        for (int i = 0; i < PICKS; i++) {
            int n = scheduler.select(links, PACKET_BYTES, targets);
            assertTrue(n >= 1, "nothing chosen at pick " + i);
            assertValid(links, targets, n);
        }
    }

    @Test
    void usesDegradedLinksOnlyWhenNoLinkIsUp() {
        TestLinks links = new TestLinks(LinkState.LOSSY, LinkState.UP, LinkState.HIGH_LATENCY, LinkState.PROBATION);
        links.get(1).fallbackOnly = true;
        links.measureAll();
        scheduler.linksChanged(links);
        int[] targets = new int[4];
        for (int i = 0; i < PICKS; i++) {
            assertEquals(1, scheduler.select(links, PACKET_BYTES, targets), "only one link is up");
            assertEquals(1, targets[0], "the fallback link is up");
        }
        links.get(1).state = LinkState.SUSPECT;
        scheduler.linksChanged(links);
        for (int i = 0; i < PICKS; i++) {
            int n = scheduler.select(links, PACKET_BYTES, targets);
            assertTrue(n >= 1, "degraded links are left at pick " + i);
            assertValid(links, targets, n);
            for (int t = 0; t < n; t++) {
                assertTrue(links.get(targets[t]).state.degraded(), "chose " + links.get(targets[t]).state);
            }
        }
    }

    @Test
    void writesDistinctIndexesInRangeAndNoMoreThanTargetsHolds() {
        TestLinks links = new TestLinks(LinkState.UP, LinkState.UP, LinkState.UP, LinkState.UP, LinkState.UP);
        links.measureAll();
        scheduler.linksChanged(links);
        for (int length = 0; length <= 6; length++) {
            int[] targets = new int[length];
            for (int i = 0; i < 200; i++) {
                int n = scheduler.select(links, PACKET_BYTES, targets);
                assertTrue(n >= 0 && n <= length, n + " chosen for " + length + " targets");
                assertTrue(length == 0 || n >= 1, "nothing chosen with " + length + " targets");
                assertValid(links, targets, n);
            }
        }
    }

    @Test
    void keepsWorkingAfterLinksChangedWithAnotherSet() {
        TestLinks three = new TestLinks(LinkState.UP, LinkState.UP, LinkState.UP);
        three.measureAll();
        scheduler.linksChanged(three);
        int[] targets = new int[4];
        for (int i = 0; i < PICKS; i++) {
            assertValid(three, targets, scheduler.select(three, PACKET_BYTES, targets));
        }

        TestLinks five = new TestLinks(LinkState.DOWN, LinkState.UP, LinkState.UP, LinkState.SUSPECT, LinkState.UP);
        five.measureAll();
        scheduler.linksChanged(five);
        boolean[] used = new boolean[five.size()];
        for (int i = 0; i < PICKS; i++) {
            int n = scheduler.select(five, PACKET_BYTES, targets);
            assertTrue(n >= 1, "nothing chosen at pick " + i);
            assertValid(five, targets, n);
            for (int t = 0; t < n; t++) {
                used[targets[t]] = true;
                assertFalse(NEVER.contains(five.get(targets[t]).state), "chose link " + targets[t]);
            }
        }
        assertTrue(used[1] || used[2] || used[4], "the new set was used");

        TestLinks one = new TestLinks(LinkState.UP);
        scheduler.linksChanged(one);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, scheduler.select(one, PACKET_BYTES, targets));
            assertEquals(0, targets[0]);
        }
    }

    @Test
    void followsStateChangesBetweenLinksChangedCalls() {
        TestLinks links = new TestLinks(LinkState.UP, LinkState.UP);
        links.measureAll();
        scheduler.linksChanged(links);
        int[] targets = new int[2];
        scheduler.select(links, PACKET_BYTES, targets);
        links.get(0).state = LinkState.SUSPECT;
        scheduler.linksChanged(links);
        for (int i = 0; i < PICKS; i++) {
            assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
            assertEquals(1, targets[0]);
        }
        links.get(1).state = LinkState.DOWN;
        scheduler.linksChanged(links);
        assertEquals(0, scheduler.select(links, PACKET_BYTES, targets));
    }

    private static void assertValid(TestLinks links, int[] targets, int n) {
        for (int t = 0; t < n; t++) {
            assertTrue(targets[t] >= 0 && targets[t] < links.size(), "index " + targets[t] + " of " + links.size());
            for (int u = 0; u < t; u++) {
                assertTrue(targets[u] != targets[t], "link " + targets[t] + " chosen twice");
            }
        }
    }

    /** Links whose states a test sets. */
    private static final class TestLinks implements LinkSet {
        private final TestLink[] links;

        TestLinks(LinkState... states) {
            links = new TestLink[states.length];
            for (int i = 0; i < states.length; i++) {
                links[i] = new TestLink(i, states[i]);
            }
        }

        /** Gives every link different round-trip times and rates, as after a while of traffic. */
        void measureAll() {
            for (TestLink link : links) {
                link.srttMicros = 10_000L * (link.index + 1);
                link.deliveryRateBitsPerSecond = 5_000_000L * (links.length - link.index);
            }
        }

        @Override
        public int size() {
            return links.length;
        }

        @Override
        public TestLink get(int i) {
            return links[i];
        }
    }

    /** One link; measurements are zero until a test sets them. */
    private static final class TestLink implements LinkView {
        final int index;
        LinkState state;
        boolean fallbackOnly;
        long srttMicros;
        long deliveryRateBitsPerSecond;

        TestLink(int index, LinkState state) {
            this.index = index;
            this.state = state;
        }

        @Override public int index() { return index; }
        @Override public String name() { return "test" + index; }
        @Override public LinkState state() { return state; }
        @Override public long configuredUploadBitsPerSecond() { return 0; }
        @Override public long srttMicros() { return srttMicros; }
        @Override public long rttVarMicros() { return srttMicros / 4; }
        @Override public double lossRatio() { return 0; }
        @Override public long txBytes() { return 0; }
        @Override public boolean fallbackOnly() { return fallbackOnly; }
        @Override public long deliveryRateBitsPerSecond() { return deliveryRateBitsPerSecond; }
        @Override public long inFlightBytes() { return 0; }
    }
}
