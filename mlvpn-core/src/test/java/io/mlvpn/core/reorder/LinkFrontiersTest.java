package io.mlvpn.core.reorder;

import static io.mlvpn.core.reorder.LinkFrontiers.ACTIVE_NANOS;
import static io.mlvpn.core.reorder.LinkFrontiers.SETTLE_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link LinkFrontiers} driven by a manual clock: every time is a nanosecond value the test passes
 * in, and each stamp is what a sender whose clock reads the same would have written
 * {@code delay} earlier.
 */
class LinkFrontiersTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;
    private static final long NANOS_PER_UNIT = 100_000L;

    private final LinkFrontiers frontiers = new LinkFrontiers();

    /** The stamp of a packet that took {@code delayNanos} to arrive at {@code arrivalNanos}. */
    private static int stamp(long arrivalNanos, long delayNanos) {
        return (int) (((arrivalNanos / NANOS_PER_UNIT) & 0xFFFF) - delayNanos / NANOS_PER_UNIT) & 0xFFFF;
    }

    private void record(int link, long seq, long nowNanos) {
        frontiers.record(link, seq, stamp(nowNanos, 0), nowNanos);
    }

    /**
     * Calls {@code clearedBelow} often enough from {@code fromNanos} to {@code toNanos} (as the
     * device writer does on every packet while something is held) and returns its last answer.
     */
    private long clearedAfterSettling(long fromNanos, long toNanos) {
        long cleared = -1;
        for (long t = fromNanos; t <= toNanos; t += SETTLE_NANOS / 2) {
            cleared = frontiers.clearedBelow(t, 0);
        }
        return cleared;
    }

    @Test
    void nothingIsClearedWithoutAnyLink() {
        assertEquals(-1, frontiers.clearedBelow(T0, 0));
        assertEquals(0, frontiers.delaySpreadNanos(T0));
        assertFalse(frontiers.mayStillArrive(0, T0, 5 * MS));
        assertEquals(0, frontiers.misordered());
    }

    @Test
    void aFrontierProvesNothingUntilItHasStoodTheSettleTime() {
        record(0, 10, T0);
        assertEquals(-1, frontiers.clearedBelow(T0, 0));
        assertEquals(-1, frontiers.clearedBelow(T0 + SETTLE_NANOS - 1, 0));
        // Trusted at the latest two settle times after a clearedBelow call first saw it.
        assertEquals(10, clearedAfterSettling(T0 + SETTLE_NANOS, T0 + 3 * SETTLE_NANOS));
    }

    @Test
    void aConnectedLinkThatHasNotDeliveredDataYetBlocksTheProof() {
        // Link 0 is fast and delivers 10; link 1 is connected but slow, its first packets (say 5)
        // still on the way: nothing below 10 is proven lost while only one of two links has spoken.
        record(0, 10, T0);
        assertEquals(10, clearedAfterSettling(T0, T0 + 3 * SETTLE_NANOS));
        long t = T0 + 3 * SETTLE_NANOS;
        assertEquals(-1, frontiers.clearedBelow(t, 2));
        record(1, 5, t);
        long later = t + 3 * SETTLE_NANOS;
        frontiers.clearedBelow(later, 2);
        assertEquals(5, frontiers.clearedBelow(later + 3 * SETTLE_NANOS, 2));
    }

    @Test
    void aFrontierThatJustMovedIsNotTrustedYet() {
        record(0, 10, T0);
        assertEquals(10, clearedAfterSettling(T0, T0 + 3 * SETTLE_NANOS));
        long t = T0 + 3 * SETTLE_NANOS;
        record(0, 20, t);
        // A packet sent on the same link just before 20 may still arrive a little after it.
        assertEquals(10, frontiers.clearedBelow(t, 0));
        assertEquals(10, frontiers.clearedBelow(t + SETTLE_NANOS / 2, 0));
        assertEquals(20, clearedAfterSettling(t, t + 3 * SETTLE_NANOS));
    }

    @Test
    void clearedBelowIsTheLowestSettledFrontierOfTheActiveLinks() {
        record(0, 10, T0);
        record(1, 7, T0);
        record(2, 12, T0);
        assertEquals(7, clearedAfterSettling(T0, T0 + 3 * SETTLE_NANOS));
        long t = T0 + 3 * SETTLE_NANOS;
        record(1, 15, t);
        assertEquals(10, clearedAfterSettling(t, t + 3 * SETTLE_NANOS));
    }

    @Test
    void aLinkIdleLongerThanActiveNanosIsLeftOut() {
        record(0, 10, T0);
        record(1, 3, T0);
        assertEquals(3, clearedAfterSettling(T0, T0 + 3 * SETTLE_NANOS));
        // Link 0 keeps delivering, link 1 carries no more data: it holds the bound down for a second.
        long seq = 10;
        long t = T0;
        while (t < T0 + ACTIVE_NANOS) {
            t += MS;
            record(0, ++seq, t);
            assertEquals(3, frontiers.clearedBelow(t, 0), "link 1 still counts at " + (t - T0) / MS + " ms");
        }
        t += MS;
        record(0, ++seq, t);
        long cleared = frontiers.clearedBelow(t, 0);
        assertTrue(cleared > 3, "idle link 1 no longer holds the bound down: " + cleared);
        assertTrue(cleared <= seq, "never above what link 0 delivered: " + cleared + " vs " + seq);
    }

    @Test
    void withEveryLinkIdleNothingIsCleared() {
        record(0, 10, T0);
        assertEquals(10, clearedAfterSettling(T0, T0 + 3 * SETTLE_NANOS));
        assertEquals(10, frontiers.clearedBelow(T0 + ACTIVE_NANOS, 0));
        assertEquals(-1, frontiers.clearedBelow(T0 + ACTIVE_NANOS + 1, 0));
    }

    @Test
    void anArrivalBelowItsLinksFrontierIsCountedAsMisordered() {
        record(0, 10, T0);
        record(0, 9, T0 + 1);
        assertEquals(1, frontiers.misordered());
        // Below another link's frontier is the normal interleaving of links, not misordering.
        record(1, 5, T0 + 2);
        record(1, 8, T0 + 3);
        assertEquals(1, frontiers.misordered());
        // A copy of the frontier itself did not move it forward either.
        record(1, 8, T0 + 4);
        assertEquals(2, frontiers.misordered());
        // A frontier is the highest sequence seen: the late one did not pull link 0's back.
        assertEquals(8, clearedAfterSettling(T0 + 4, T0 + 4 + 3 * SETTLE_NANOS));
    }

    @Test
    void mayStillArriveOnlyWhileALinkBehindTheSequenceStillDelivers() {
        long quiet = 5 * MS;
        record(0, 10, T0);
        record(1, 5, T0);
        // Link 1 has not passed 7 and delivered just now: 7 may be in its queue.
        assertTrue(frontiers.mayStillArrive(7, T0 + MS, quiet));
        assertTrue(frontiers.mayStillArrive(7, T0 + quiet, quiet));
        // Once link 1 has been quiet longer than quietNanos, 7 is a tail loss.
        assertFalse(frontiers.mayStillArrive(7, T0 + quiet + 1, quiet));
        // Every link already passed 3 (or delivered it): nothing can still bring it.
        assertFalse(frontiers.mayStillArrive(3, T0 + MS, quiet));
        assertFalse(frontiers.mayStillArrive(5, T0 + MS, quiet));
        // Above every frontier, any link that still delivers may bring it.
        record(0, 11, T0 + 20 * MS);
        assertTrue(frontiers.mayStillArrive(12, T0 + 21 * MS, quiet));
        assertFalse(frontiers.mayStillArrive(7, T0 + 21 * MS, quiet));
    }

    @Test
    void delaySpreadOfTwoLinksIsTheExtraDelayOfTheSlowerOne() {
        long extra = 30 * MS;
        long t = T0;
        for (long seq = 0; seq < 200; seq++) {
            t += MS;
            int link = (int) (seq & 1);
            frontiers.record(link, seq, stamp(t, link == 1 ? extra : 0), t);
        }
        assertSpreadNear(extra, frontiers.delaySpreadNanos(t));
    }

    @Test
    void delaySpreadDoesNotDependOnTheOffsetBetweenTheClocks() {
        // The sender's clock reads 12.3 s ahead of the receiver's: only differences count.
        long offsetNanos = 12_300 * MS;
        long t = T0;
        for (long seq = 0; seq < 200; seq++) {
            t += MS;
            int link = (int) (seq & 1);
            frontiers.record(link, seq, stamp(t + offsetNanos, link == 1 ? 30 * MS : 0), t);
        }
        assertSpreadNear(30 * MS, frontiers.delaySpreadNanos(t));
    }

    @Test
    void delaySpreadOfOneLinkIsZero() {
        long t = T0;
        for (long seq = 0; seq < 200; seq++) {
            t += MS;
            // Its delay varies, but there is no other link to arrive earlier than it.
            frontiers.record(0, seq, stamp(t, (seq % 3) * 10 * MS), t);
        }
        assertEquals(0, frontiers.delaySpreadNanos(t));
    }

    @Test
    void delaySpreadLeavesOutALinkIdleLongerThanActiveNanos() {
        long t = T0;
        frontiers.record(1, 0, stamp(t, 30 * MS), t);
        for (long seq = 1; seq < 200; seq++) {
            t += MS;
            frontiers.record(0, seq, stamp(t, 0), t);
        }
        assertSpreadNear(30 * MS, frontiers.delaySpreadNanos(T0 + ACTIVE_NANOS));
        assertEquals(0, frontiers.delaySpreadNanos(T0 + ACTIVE_NANOS + 1));
    }

    @Test
    void delaySpreadIsRightAcrossTheStampWrap() {
        // Arrival units pass 65536 (6.5536 s) in the middle of the run, and the stamps wrap with them.
        long wrapNanos = 65_536L * NANOS_PER_UNIT;
        long t = wrapNanos - 100 * MS;
        long seq = 0;
        while (t < wrapNanos + 100 * MS) {
            t += MS;
            int link = (int) (seq & 1);
            frontiers.record(link, seq++, stamp(t, link == 1 ? 30 * MS : 0), t);
            if (t > wrapNanos - 50 * MS) {
                assertSpreadNear(30 * MS, frontiers.delaySpreadNanos(t));
            }
        }
    }

    @Test
    void reanchorLeavesTheSpreadUnchanged() {
        long t = T0;
        long seq = 0;
        for (; seq < 200; seq++) {
            t += MS;
            // The slower link 1 delivers first, so the anchor is not the smallest delay.
            int link = (int) ((seq + 1) & 1);
            frontiers.record(link, seq, stamp(t, link == 1 ? 45 * MS : 15 * MS), t);
        }
        long before = frontiers.delaySpreadNanos(t);
        assertSpreadNear(30 * MS, before);
        frontiers.reanchor();
        assertEquals(before, frontiers.delaySpreadNanos(t));
        for (; seq < 400; seq++) {
            t += MS;
            int link = (int) ((seq + 1) & 1);
            frontiers.record(link, seq, stamp(t, link == 1 ? 45 * MS : 15 * MS), t);
        }
        assertEquals(before, frontiers.delaySpreadNanos(t));
        frontiers.reanchor();
        frontiers.reanchor();
        assertEquals(before, frontiers.delaySpreadNanos(t));
    }

    @Test
    void reanchorWithoutLinksDoesNothing() {
        frontiers.reanchor();
        assertEquals(0, frontiers.delaySpreadNanos(T0));
        assertEquals(-1, frontiers.clearedBelow(T0, 0));
    }

    @Test
    void resetForgetsEveryLink() {
        long t = T0;
        for (long seq = 100; seq < 300; seq++) {
            t += MS;
            int link = (int) (seq & 1);
            frontiers.record(link, seq, stamp(t, link == 1 ? 30 * MS : 0), t);
        }
        assertTrue(clearedAfterSettling(t, t + 3 * SETTLE_NANOS) >= 100);
        t += 3 * SETTLE_NANOS;
        long misorderedBefore = frontiers.misordered();

        frontiers.reset();

        assertEquals(-1, frontiers.clearedBelow(t, 0));
        assertEquals(0, frontiers.delaySpreadNanos(t));
        assertFalse(frontiers.mayStillArrive(1_000, t, 5 * MS));
        // A new sequence space starts low again: that is not misordering.
        record(0, 0, t + MS);
        assertEquals(misorderedBefore, frontiers.misordered());
        assertEquals(0, clearedAfterSettling(t + MS, t + MS + 3 * SETTLE_NANOS));
        // The spread is measured afresh: one link so far.
        assertEquals(0, frontiers.delaySpreadNanos(t + 2 * MS));
    }

    @Test
    void linkIdsAreTakenModulo256() {
        record(255, 4, T0);
        record(256 + 255, 9, T0 + 1);
        assertEquals(0, frontiers.misordered());
        assertEquals(9, clearedAfterSettling(T0 + 1, T0 + 1 + 3 * SETTLE_NANOS));
    }

    /** Within one stamp unit (100 µs) of {@code expectedNanos}: stamps have that resolution. */
    private static void assertSpreadNear(long expectedNanos, long actualNanos) {
        assertTrue(Math.abs(actualNanos - expectedNanos) <= NANOS_PER_UNIT,
                "delay spread " + actualNanos / 1e6 + " ms, expected about " + expectedNanos / 1e6 + " ms");
    }
}
