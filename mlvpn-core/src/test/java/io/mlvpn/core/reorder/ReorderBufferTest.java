package io.mlvpn.core.reorder;

import static io.mlvpn.core.reorder.ReorderBuffer.DUPLICATE;
import static io.mlvpn.core.reorder.ReorderBuffer.HELD;
import static io.mlvpn.core.reorder.ReorderBuffer.IN_ORDER;
import static io.mlvpn.core.reorder.ReorderBuffer.LATE;
import static io.mlvpn.core.reorder.ReorderBuffer.OVERFLOW;
import static io.mlvpn.core.reorder.ReorderBuffer.TOO_OLD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;

    private final ReorderBuffer<Long> buffer = newBuffer(64, 10 * MS);

    private static ReorderBuffer<Long> newBuffer(int capacity, long gapTimeoutNanos) {
        ReorderBuffer<Long> b = new ReorderBuffer<>(capacity);
        b.setGapTimeoutNanos(gapTimeoutNanos);
        return b;
    }

    private int offer(long seq, long nowNanos) {
        return buffer.offer(seq, seq, nowNanos);
    }

    private List<Long> drain() {
        List<Long> out = new ArrayList<>();
        for (Long item = buffer.poll(); item != null; item = buffer.poll()) {
            out.add(item);
        }
        return out;
    }

    @Test
    void inOrderPacketsAreReleasedAtOnce() {
        for (long seq = 0; seq < 1000; seq++) {
            assertEquals(IN_ORDER, offer(seq, T0));
            assertEquals(List.of(seq), drain());
        }
        assertEquals(0, buffer.held());
        assertEquals(0, buffer.reordered());
        assertEquals(Long.MAX_VALUE, buffer.nextDeadlineNanos());
    }

    @Test
    void firstPacketSetsTheSequenceStart() {
        assertEquals(IN_ORDER, offer(5000, T0));
        assertEquals(IN_ORDER, offer(5001, T0));
        assertEquals(List.of(5000L, 5001L), drain());
        assertEquals(5002, buffer.nextExpectedSeq());
    }

    @Test
    void simpleSwapIsPutBackInOrder() {
        offer(0, T0);
        assertEquals(HELD, offer(2, T0));
        assertEquals(List.of(0L), drain());
        assertEquals(1, buffer.held());
        assertEquals(IN_ORDER, offer(1, T0 + MS));
        assertEquals(List.of(1L, 2L), drain());
        assertEquals(0, buffer.held());
        assertEquals(1, buffer.reordered());
        assertEquals(0, buffer.skippedGaps());
    }

    @Test
    void gapFilledLaterReleasesTheWholeRunInOrder() {
        offer(0, T0);
        drain();
        for (long seq = 10; seq >= 2; seq--) {
            assertEquals(HELD, offer(seq, T0));
        }
        assertEquals(List.of(), drain());
        assertEquals(9, buffer.held());
        assertEquals(IN_ORDER, offer(1, T0));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), drain());
        assertEquals(9, buffer.reordered());
        assertEquals(11, buffer.nextExpectedSeq());
    }

    @Test
    void fillingOneOfTwoGapsReleasesOnlyUpToTheNextGap() {
        offer(0, T0);
        offer(2, T0);
        offer(4, T0);
        offer(5, T0);
        drain();
        assertEquals(IN_ORDER, offer(1, T0));
        assertEquals(List.of(1L, 2L), drain());
        assertEquals(2, buffer.held());
        assertEquals(IN_ORDER, offer(3, T0));
        assertEquals(List.of(3L, 4L, 5L), drain());
    }

    @Test
    void duplicatesOfHeldAndOfDeliveredPacketsAreRefused() {
        offer(0, T0);
        offer(1, T0);
        offer(3, T0);
        assertEquals(List.of(0L, 1L), drain());
        assertEquals(DUPLICATE, offer(0, T0), "delivered");
        assertEquals(DUPLICATE, offer(1, T0), "delivered");
        assertEquals(DUPLICATE, offer(3, T0), "held");
        assertEquals(List.of(), drain());
        assertEquals(1, buffer.held());
        offer(2, T0);
        assertEquals(List.of(2L, 3L), drain());
        assertEquals(DUPLICATE, offer(2, T0));
        assertEquals(DUPLICATE, offer(3, T0));
        assertEquals(5, buffer.duplicates());
        assertEquals(List.of(), drain());
    }

    @Test
    void duplicatesAreFoundAtLeastCapacityBehindTheNextExpected() {
        ReorderBuffer<Long> big = newBuffer(65536, 10 * MS);
        for (long seq = 0; seq < 200_000; seq++) {
            big.offer(seq, seq, T0);
            big.poll();
        }
        assertEquals(DUPLICATE, big.offer(200_000 - 65536, 1L, T0));
        assertEquals(DUPLICATE, big.offer(200_000 - 1, 1L, T0));
        assertEquals(2, big.duplicates());
    }

    @Test
    void packetOlderThanTheDuplicateWindowIsRefusedAsTooOld() {
        for (long seq = 0; seq < 20_000; seq++) {
            offer(seq, T0);
            drain();
        }
        assertEquals(TOO_OLD, offer(20_000 - DuplicateFilter.DEFAULT_WINDOW_PACKETS - 1, T0));
        assertEquals(TOO_OLD, offer(-1, T0));
        assertEquals(TOO_OLD, offer(Long.MAX_VALUE, T0));
        assertEquals(3, buffer.tooOld());
        assertEquals(0, buffer.duplicates());
        assertEquals(List.of(), drain());
    }

    @Test
    void expireSkipsTheGapExactlyAtTheDeadline() {
        offer(0, T0);
        offer(3, T0 + MS);
        offer(2, T0 + 2 * MS);
        drain();
        long deadline = T0 + MS + 10 * MS;
        assertEquals(deadline, buffer.nextDeadlineNanos());
        buffer.expire(deadline - 1);
        assertEquals(List.of(), drain());
        assertEquals(0, buffer.skippedGaps());
        buffer.expire(deadline);
        assertEquals(List.of(2L, 3L), drain(), "2 arrived later, but is released in order");
        assertEquals(1, buffer.skippedGaps());
        assertEquals(1, buffer.skippedPackets());
        assertEquals(2, buffer.reordered());
        assertEquals(Long.MAX_VALUE, buffer.nextDeadlineNanos());
    }

    @Test
    void eachGapHasTheDeadlineOfTheOldestPacketAboveIt() {
        offer(0, T0);
        offer(5, T0);           // gap 1..4 is due at T0 + 10 ms
        offer(8, T0 + 4 * MS);  // gap 6..7 is due at T0 + 14 ms
        offer(2, T0 + 6 * MS);
        drain();
        buffer.expire(T0 + 10 * MS);
        assertEquals(List.of(2L, 5L), drain());
        assertEquals(2, buffer.skippedGaps(), "1 and 3..4");
        assertEquals(3, buffer.skippedPackets());
        assertEquals(T0 + 14 * MS, buffer.nextDeadlineNanos());
        buffer.expire(T0 + 14 * MS - 1);
        assertEquals(List.of(), drain());
        buffer.expire(T0 + 14 * MS);
        assertEquals(List.of(8L), drain());
        assertEquals(3, buffer.skippedGaps());
        assertEquals(5, buffer.skippedPackets());
    }

    @Test
    void packetArrivingAfterItsGapWasSkippedIsLateAndReleasedAtOnce() {
        offer(0, T0);
        offer(2, T0);
        buffer.expire(T0 + 10 * MS);
        assertEquals(List.of(0L, 2L), drain());
        assertEquals(LATE, offer(1, T0 + 11 * MS));
        assertEquals(List.of(1L), drain());
        assertEquals(1, buffer.late());
        assertEquals(DUPLICATE, offer(1, T0 + 12 * MS), "a late packet is delivered only once");
        assertEquals(IN_ORDER, offer(3, T0 + 12 * MS));
        assertEquals(List.of(3L), drain());
    }

    @Test
    void newGapTimeoutAppliesToHeldPackets() {
        offer(0, T0);
        offer(2, T0);
        drain();
        buffer.setGapTimeoutNanos(3 * MS);
        assertEquals(T0 + 3 * MS, buffer.nextDeadlineNanos());
        buffer.expire(T0 + 3 * MS);
        assertEquals(List.of(2L), drain());
        assertEquals(3 * MS, buffer.gapTimeoutNanos());
    }

    @Test
    void overflowReleasesEverythingHeldThenTakesTheNewPacketInOrder() {
        offer(0, T0);
        offer(2, T0);
        offer(5, T0);
        offer(63, T0); // 63 - 1 = capacity - 2 ahead: still held
        drain();
        assertEquals(3, buffer.held());
        assertEquals(OVERFLOW, offer(70, T0), "70 - 1 >= capacity 64");
        assertEquals(List.of(2L, 5L, 63L, 70L), drain());
        assertEquals(0, buffer.held());
        assertEquals(1, buffer.overflows());
        assertEquals(4, buffer.skippedGaps(), "1, 3..4, 6..62, 64..69");
        assertEquals(1 + 2 + 57 + 6, buffer.skippedPackets());
        assertEquals(71, buffer.nextExpectedSeq());
        assertEquals(LATE, offer(64, T0));
        assertEquals(IN_ORDER, offer(71, T0));
        assertEquals(List.of(64L, 71L), drain());
    }

    @Test
    void farJumpWithNothingHeldIsTakenInOrder() {
        offer(0, T0);
        assertEquals(OVERFLOW, offer(1L << 40, T0));
        assertEquals(List.of(0L, 1L << 40), drain());
        assertEquals(1, buffer.skippedGaps());
        assertEquals((1L << 40) - 1, buffer.skippedPackets());
        assertEquals(TOO_OLD, offer(1, T0));
    }

    @Test
    void flushReleasesEverythingHeldInOrderSkippingAllGaps() {
        offer(0, T0);
        offer(9, T0);
        offer(3, T0);
        offer(4, T0);
        offer(7, T0);
        drain();
        buffer.flush();
        assertEquals(List.of(3L, 4L, 7L, 9L), drain());
        assertEquals(3, buffer.skippedGaps(), "1..2, 5..6, 8");
        assertEquals(5, buffer.skippedPackets());
        assertEquals(Long.MAX_VALUE, buffer.nextDeadlineNanos());
        assertEquals(IN_ORDER, offer(10, T0));
        assertEquals(LATE, offer(8, T0));
        assertEquals(List.of(10L, 8L), drain());
    }

    @Test
    void resetFlushesThenStartsANewSequenceSpace() {
        offer(0, T0);
        offer(1, T0);
        offer(3, T0);
        assertEquals(List.of(0L, 1L), drain());
        buffer.reset();
        assertEquals(List.of(3L), drain(), "held packets are released, not dropped");
        assertEquals(1, buffer.skippedGaps());
        assertEquals(IN_ORDER, offer(0, T0), "0 belongs to the old lineage: not a duplicate now");
        assertEquals(IN_ORDER, offer(1, T0));
        assertEquals(HELD, offer(3, T0));
        assertEquals(IN_ORDER, offer(2, T0));
        assertEquals(List.of(0L, 1L, 2L, 3L), drain());
        assertEquals(0, buffer.duplicates());
    }

    @Test
    void resetToHoldsAFirstPacketThatOvertookItsPredecessors() {
        offer(500, T0);
        drain();
        buffer.resetTo(0);
        assertEquals(HELD, offer(1, T0));
        assertEquals(IN_ORDER, offer(0, T0));
        assertEquals(List.of(0L, 1L), drain());
        assertEquals(0, buffer.late());
    }

    @Test
    void unpolledItemsStayInOrderAcrossSeveralOffers() {
        offer(0, T0);
        offer(2, T0);
        offer(1, T0);
        offer(3, T0);
        assertEquals(4, buffer.releasable());
        assertEquals(List.of(0L, 1L, 2L, 3L), drain());
        assertNull(buffer.poll());
    }

    @Test
    void offeringWithoutEverPollingIsRefusedOnceTheReadyRingIsFull() {
        ReorderBuffer<Long> small = newBuffer(16, MS);
        for (long seq = 0; seq < 32; seq++) {
            small.offer(seq, seq, T0);
        }
        var e = assertThrows(IllegalStateException.class, () -> small.offer(32, 32L, T0));
        assertEquals("poll() the 32 releasable items before offering more", e.getMessage());
        assertEquals(0L, small.poll());
    }

    @Test
    void capacityIsRoundedUpToAPowerOfTwoAndChecked() {
        assertEquals(16, new ReorderBuffer<Long>(16).capacityPackets());
        assertEquals(128, new ReorderBuffer<Long>(100).capacityPackets());
        assertEquals(65536, new ReorderBuffer<Long>(65536).capacityPackets());
        var e = assertThrows(IllegalArgumentException.class, () -> new ReorderBuffer<Long>(15));
        assertEquals("capacityPackets outside 16..65536: 15", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReorderBuffer<Long>(65537));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(NullPointerException.class, () -> buffer.offer(0, null, T0));
        assertEquals(0, buffer.held());
        var e = assertThrows(IllegalArgumentException.class, () -> buffer.setGapTimeoutNanos(-1));
        assertEquals("gap timeout outside 0..60000000000 ns: -1", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> buffer.setGapTimeoutNanos(ReorderBuffer.MAX_GAP_TIMEOUT_NANOS + 1));
        assertThrows(IllegalArgumentException.class, () -> buffer.resetTo(-1));
        assertEquals(10 * MS, buffer.gapTimeoutNanos());
    }

    @Test
    void defaultGapTimeoutIsUsedUntilSet() {
        ReorderBuffer<Long> fresh = new ReorderBuffer<>(16);
        assertEquals(ReorderBuffer.DEFAULT_GAP_TIMEOUT_NANOS, fresh.gapTimeoutNanos());
        fresh.offer(0, 0L, T0);
        fresh.offer(2, 2L, T0);
        assertEquals(T0 + ReorderBuffer.DEFAULT_GAP_TIMEOUT_NANOS, fresh.nextDeadlineNanos());
    }

    @Test
    void holdTimesOfReorderedPacketsAreCountedInTheHistogram() {
        ReorderBuffer<String> b = new ReorderBuffer<>(16);
        long ms = 1_000_000L;
        assertEquals(ReorderBuffer.IN_ORDER, b.offer(0, "0", 0));
        b.poll();
        assertEquals(ReorderBuffer.HELD, b.offer(2, "2", 10 * ms));
        assertEquals(ReorderBuffer.HELD, b.offer(3, "3", 11 * ms));
        assertEquals(ReorderBuffer.IN_ORDER, b.offer(1, "1", 14 * ms));
        while (b.poll() != null) {
            // drain
        }
        // "2" waited 4 ms (bucket <= 5 ms), "3" waited 3 ms (same bucket).
        assertEquals(2, b.delayCount(2));
        assertEquals(7 * ms, b.delaySumNanos());
        long total = 0;
        for (int i = 0; i <= ReorderBuffer.DELAY_BOUNDS_NANOS.length; i++) {
            total += b.delayCount(i);
        }
        assertEquals(b.reordered(), total);
    }

    @Test
    void skipBelowReleasesHeldItemsBelowItCountingTheGapsThenTheRunAfter() {
        offer(0, T0);
        for (long seq : new long[] {2, 3, 5, 7, 8, 10}) {
            assertEquals(HELD, offer(seq, T0));
        }
        assertEquals(List.of(0L), drain());
        buffer.skipBelow(6);
        // Gaps 1 and 4 are given up; 6 is not below 6, so it is still waited for.
        assertEquals(List.of(2L, 3L, 5L), drain());
        assertEquals(6, buffer.nextExpectedSeq());
        assertEquals(2, buffer.skippedGaps());
        assertEquals(2, buffer.skippedPackets());
        assertEquals(3, buffer.held());
        buffer.skipBelow(7);
        // Gap 6 is given up; 7 and the run after it (8) are released, 9 is still waited for.
        assertEquals(List.of(7L, 8L), drain());
        assertEquals(9, buffer.nextExpectedSeq());
        assertEquals(3, buffer.skippedGaps());
        assertEquals(3, buffer.skippedPackets());
        assertEquals(1, buffer.held());
        assertEquals(5, buffer.reordered());
        // A skipped packet that shows up after all is late, released at once.
        assertEquals(LATE, offer(4, T0 + MS));
        assertEquals(List.of(4L), drain());
    }

    @Test
    void skipBelowStopsAfterTheLastHeldItem() {
        offer(0, T0);
        offer(3, T0);
        offer(5, T0);
        drain();
        buffer.skipBelow(100);
        assertEquals(List.of(3L, 5L), drain());
        // Gaps {1, 2} and {4}; nothing above the last held item is given up, it may be in flight.
        assertEquals(2, buffer.skippedGaps());
        assertEquals(3, buffer.skippedPackets());
        assertEquals(6, buffer.nextExpectedSeq());
        assertEquals(IN_ORDER, offer(6, T0));
        assertEquals(List.of(6L), drain());
    }

    @Test
    void skipBelowDoesNothingWhenNothingIsHeld() {
        offer(0, T0);
        offer(1, T0);
        drain();
        buffer.skipBelow(100);
        assertEquals(2, buffer.nextExpectedSeq());
        assertEquals(0, buffer.skippedGaps());
        assertEquals(IN_ORDER, offer(2, T0));
        assertEquals(List.of(2L), drain());
    }

    @Test
    void skipBelowDoesNothingAtOrBelowTheNextExpected() {
        offer(0, T0);
        offer(3, T0);
        drain();
        buffer.skipBelow(1);
        buffer.skipBelow(0);
        buffer.skipBelow(-1);
        assertEquals(List.of(), drain());
        assertEquals(1, buffer.nextExpectedSeq());
        assertEquals(1, buffer.held());
        assertEquals(0, buffer.skippedGaps());
        assertEquals(0, buffer.skippedPackets());
        assertEquals(IN_ORDER, offer(1, T0));
        offer(2, T0);
        assertEquals(List.of(1L, 2L, 3L), drain());
    }

    @Test
    void oldestWaitIsZeroWhenNothingIsHeld() {
        assertEquals(0, buffer.oldestWaitNanos(T0));
        offer(0, T0);
        offer(1, T0);
        drain();
        assertEquals(0, buffer.oldestWaitNanos(T0 + 50 * MS));
    }

    @Test
    void oldestWaitIsTheWaitOfTheEarliestArrivalStillHeld() {
        offer(0, T0);
        offer(3, T0 + MS);
        offer(2, T0 + 5 * MS);
        offer(6, T0 + 6 * MS);
        // Arrival order counts, not sequence order: 3 came first.
        assertEquals(7 * MS, buffer.oldestWaitNanos(T0 + 8 * MS));
        offer(1, T0 + 9 * MS);
        // 1, 2 and 3 were released: 6 is the oldest still held.
        assertEquals(4 * MS, buffer.oldestWaitNanos(T0 + 10 * MS));
        offer(4, T0 + 11 * MS);
        offer(5, T0 + 11 * MS);
        assertEquals(0, buffer.oldestWaitNanos(T0 + 12 * MS));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), drain());
    }
}
