package io.mlvpn.core.reorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

    private final DuplicateFilter filter = new DuplicateFilter();

    @Test
    void everySequenceIsNewOnceInOrder() {
        for (long seq = 0; seq < 30_000; seq++) {
            assertTrue(filter.firstTime(seq), "first " + seq);
            assertFalse(filter.firstTime(seq), "second " + seq);
        }
        assertEquals(30_000, filter.duplicates());
        assertEquals(29_999, filter.highest());
    }

    @Test
    void everySequenceIsNewOnceOutOfOrderInsideTheWindow() {
        assertTrue(filter.firstTime(10_000));
        for (long seq = 9_999; seq > 10_000 - filter.windowPackets(); seq--) {
            assertTrue(filter.firstTime(seq), "first " + seq);
        }
        for (long seq = 10_000; seq > 10_000 - filter.windowPackets(); seq--) {
            assertFalse(filter.firstTime(seq), "second " + seq);
        }
        assertEquals(filter.windowPackets(), filter.duplicates());
        assertEquals(0, filter.tooOld());
    }

    @Test
    void sequencesBelowTheWindowAndInvalidOnesAreRefusedAsTooOld() {
        filter.firstTime(10_000);
        assertFalse(filter.firstTime(10_000 - filter.windowPackets()));
        assertFalse(filter.firstTime(-1));
        assertFalse(filter.firstTime(Long.MIN_VALUE));
        assertFalse(filter.firstTime(Long.MAX_VALUE));
        assertEquals(4, filter.tooOld());
        assertEquals(0, filter.duplicates());
        assertTrue(filter.firstTime(Long.MAX_VALUE - 1), "the largest valid sequence");
    }

    @Test
    void jumpAheadForgetsWhatLeftTheWindowButNotWhatStayed() {
        filter.firstTime(100);
        filter.firstTime(101);
        assertTrue(filter.firstTime(100 + filter.windowPackets()));
        assertFalse(filter.firstTime(101), "still inside the window");
        assertFalse(filter.firstTime(100), "left the window: too old");
        assertEquals(1, filter.duplicates());
        assertEquals(1, filter.tooOld());
        assertTrue(filter.firstTime(1L << 50));
        assertTrue(filter.firstTime((1L << 50) - 1), "a jump of many windows leaves no stale bits");
        assertTrue(filter.firstTime((1L << 50) - 200));
    }

    @Test
    void resetForgetsSequencesButKeepsCounters() {
        filter.firstTime(7);
        filter.firstTime(7);
        filter.reset();
        assertEquals(-1, filter.highest());
        assertTrue(filter.firstTime(7));
        assertTrue(filter.firstTime(0));
        assertEquals(1, filter.duplicates());
    }

    @Test
    void windowIsRoundedUpToAPowerOfTwoBitmapLessOneSlackBlock() {
        assertEquals(8128, new DuplicateFilter().windowPackets());
        assertEquals(64, new DuplicateFilter(1).windowPackets());
        assertEquals(8128, new DuplicateFilter(8128).windowPackets());
        assertEquals(16320, new DuplicateFilter(8129).windowPackets());
        var e = assertThrows(IllegalArgumentException.class, () -> new DuplicateFilter(0));
        assertEquals("windowPackets outside 1..16777216: 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DuplicateFilter(DuplicateFilter.MAX_WINDOW_PACKETS + 1));
    }

    @Test
    void smallWindowStillFindsDuplicatesAcrossBlockBoundaries() {
        DuplicateFilter small = new DuplicateFilter(1);
        for (long seq = 0; seq < 1000; seq += 2) {
            assertTrue(small.firstTime(seq));
            assertTrue(small.firstTime(seq + 1));
            assertFalse(small.firstTime(seq));
        }
        assertEquals(500, small.duplicates());
    }
}
