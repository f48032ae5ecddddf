package io.mlvpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private final ReplayWindow window = new ReplayWindow();

    @Test
    void emptyWindowHasNoHighestAndTakesAnyFirstSequence() {
        assertEquals(-1, window.highest());
        assertTrue(window.mayAccept(0));
        assertTrue(window.mayAccept(Long.MAX_VALUE));
        assertEquals(-1, window.highest(), "mayAccept changed the window");
    }

    @Test
    void inOrderSequencesAreAcceptedOnce() {
        for (long seq = 0; seq < 20_000; seq++) {
            assertTrue(window.mayAccept(seq), "mayAccept " + seq);
            assertTrue(window.accept(seq), "accept " + seq);
            assertEquals(seq, window.highest());
        }
        for (long seq = 20_000 - ReplayWindow.WINDOW_SIZE; seq < 20_000; seq++) {
            assertFalse(window.mayAccept(seq), "mayAccept duplicate " + seq);
            assertFalse(window.accept(seq), "accept duplicate " + seq);
        }
    }

    @Test
    void outOfOrderSequencesInsideTheWindowAreAcceptedOnce() {
        assertTrue(window.accept(5000));
        for (long seq = 4999; seq > 5000 - ReplayWindow.WINDOW_SIZE && seq >= 0; seq -= 3) {
            assertTrue(window.mayAccept(seq), "mayAccept " + seq);
            assertTrue(window.accept(seq), "accept " + seq);
            assertFalse(window.accept(seq), "accept duplicate " + seq);
        }
        assertTrue(window.accept(4998), "a gap left by the stride");
        assertEquals(5000, window.highest(), "older sequences moved the highest");
    }

    @Test
    void duplicatesAreRefusedAndChangeNothing() {
        assertTrue(window.accept(10));
        assertTrue(window.accept(12));

        assertFalse(window.mayAccept(10));
        assertFalse(window.accept(10));
        assertFalse(window.accept(12));
        assertEquals(12, window.highest());
        assertTrue(window.accept(11));
    }

    @Test
    void theWindowEndsExactlyWindowSizeBelowTheHighest() {
        long highest = 100_000;
        assertTrue(window.accept(highest));
        long oldestInside = highest - (ReplayWindow.WINDOW_SIZE - 1);
        long newestOutside = highest - ReplayWindow.WINDOW_SIZE;

        assertFalse(window.mayAccept(newestOutside));
        assertFalse(window.accept(newestOutside));
        assertTrue(window.mayAccept(oldestInside));
        assertTrue(window.accept(oldestInside));
        assertFalse(window.accept(oldestInside), "duplicate at the edge");
    }

    @Test
    void theEdgeMovesWithTheHighest() {
        assertTrue(window.accept(ReplayWindow.WINDOW_SIZE - 1));
        assertTrue(window.mayAccept(0), "0 is the oldest sequence inside");

        assertTrue(window.accept(ReplayWindow.WINDOW_SIZE));

        assertFalse(window.mayAccept(0), "0 just fell out");
        assertFalse(window.accept(0));
        assertTrue(window.accept(1));
    }

    @Test
    void aJumpBeyondTheWholeBitmapClearsEverySeenBit() {
        for (long seq = 0; seq < 8192; seq++) {
            assertTrue(window.accept(seq));
        }
        long jumped = 8192L * 5 + 100;
        assertTrue(window.accept(jumped));

        // Every sequence inside the new window maps onto a bit set before the jump; none was seen.
        for (long seq = jumped - 1; seq > jumped - ReplayWindow.WINDOW_SIZE; seq--) {
            assertTrue(window.mayAccept(seq), "mayAccept " + seq);
            assertTrue(window.accept(seq), "accept " + seq);
        }
        assertFalse(window.accept(jumped - ReplayWindow.WINDOW_SIZE));
    }

    @Test
    void aJumpInsideTheBitmapClearsOnlyTheBlocksItPasses() {
        for (long seq = 0; seq <= 8000; seq++) {
            assertTrue(window.accept(seq));
        }
        long jumped = 11_000;
        assertTrue(window.accept(jumped));

        for (long seq = jumped - ReplayWindow.WINDOW_SIZE + 1; seq <= 8000; seq++) {
            assertFalse(window.mayAccept(seq), "still a duplicate: " + seq);
        }
        assertFalse(window.mayAccept(jumped - ReplayWindow.WINDOW_SIZE), "too old");
        // 8001..10999 were never seen; 8192 and above share bits with 0..2807, seen before the jump.
        for (long seq = 8001; seq < jumped; seq++) {
            assertTrue(window.accept(seq), "accept " + seq);
        }
    }

    @Test
    void jumpsToTheLargestSequencesWork() {
        assertTrue(window.accept(Long.MAX_VALUE - 10));
        assertTrue(window.accept(Long.MAX_VALUE));
        assertTrue(window.accept(Long.MAX_VALUE - 5));

        assertFalse(window.accept(Long.MAX_VALUE - 10));
        assertFalse(window.accept(0), "too old");
        assertEquals(Long.MAX_VALUE, window.highest());
    }

    @Test
    void resetForgetsEverything() {
        for (long seq = 0; seq < 100; seq++) {
            window.accept(seq);
        }
        window.accept(50_000);

        window.reset();

        assertEquals(-1, window.highest());
        for (long seq = 0; seq < 100; seq++) {
            assertTrue(window.accept(seq), "accept after reset " + seq);
        }
    }

    @Test
    void negativeSequencesAreRefused() {
        assertFalse(window.mayAccept(-1));
        assertFalse(window.accept(-1));
        assertFalse(window.accept(Long.MIN_VALUE));
        assertEquals(-1, window.highest());

        assertTrue(window.accept(3));
        assertFalse(window.accept(-1));
        assertEquals(3, window.highest());
    }
}
