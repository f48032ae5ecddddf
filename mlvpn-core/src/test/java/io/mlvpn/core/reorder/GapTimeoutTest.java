package io.mlvpn.core.reorder;

import static io.mlvpn.core.reorder.ReorderBuffer.GAP_MARGIN_NANOS;
import static io.mlvpn.core.reorder.ReorderBuffer.gapTimeoutNanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Examples of {@link ReorderBuffer#gapTimeoutNanos(long[], long[], int, long, long)}, worked in milliseconds. */
class GapTimeoutTest {

    private static final long MS = 1_000_000L;
    private static final long US_PER_MS = 1000;
    private static final long FLOOR = 5 * MS;
    private static final long CEILING = 1000 * MS;

    private static long timeout(long[] srttMillis, long[] rttVarMillis) {
        long[] srtt = new long[srttMillis.length];
        long[] rttVar = new long[rttVarMillis.length];
        for (int i = 0; i < srtt.length; i++) {
            srtt[i] = srttMillis[i] * US_PER_MS;
            rttVar[i] = rttVarMillis[i] * US_PER_MS;
        }
        return gapTimeoutNanos(srtt, rttVar, srtt.length, FLOOR, CEILING);
    }

    @Test
    void fibreAndDslLinks() {
        // Latest: the 100 ms link, up to 1.5 x 100 + 4 x 5 = 170 ms one way (asymmetric, queued);
        // earliest: the 20 ms link, 10 - 2 x 1 = 8 ms.
        assertEquals((170 - 8) * MS + GAP_MARGIN_NANOS, timeout(new long[] {20, 100}, new long[] {1, 5}));
    }

    @Test
    void theJitteriestLinkNeedNotBeTheSlowest() {
        // Latest: 45 + 4 x 20 = 125 ms (jittery 30 ms link) under 120 + 4 x 2 = 128 ms (the slow one);
        // earliest 15 - 40 -> 0 ms.
        assertEquals(128 * MS + GAP_MARGIN_NANOS, timeout(new long[] {30, 80}, new long[] {20, 2}));
        // With more jitter the jittery link is the latest: 45 + 4 x 40 = 205 ms over 128 ms.
        assertEquals(205 * MS + GAP_MARGIN_NANOS, timeout(new long[] {30, 80}, new long[] {40, 2}));
    }

    @Test
    void oneLinkWaitsForItsOwnJitter() {
        // 45 + 8 = 53 ms latest, 15 - 4 = 11 ms earliest.
        assertEquals(42 * MS + GAP_MARGIN_NANOS, timeout(new long[] {30}, new long[] {2}));
    }

    @Test
    void commonDelayCountsHalfOnlyTheSpreadCountsWhole() {
        long near = timeout(new long[] {20, 40}, new long[] {1, 1});
        long far = timeout(new long[] {520, 540}, new long[] {1, 1});
        assertEquals((60 + 4 - (10 - 2)) * MS + GAP_MARGIN_NANOS, near);
        assertEquals((810 + 4 - (260 - 2)) * MS + GAP_MARGIN_NANOS, far);
    }

    @Test
    void resultIsClampedToFloorAndCeiling() {
        assertEquals(FLOOR, timeout(new long[] {2, 2}, new long[] {0, 0}), "3 - 1 + 2 ms margin below the floor");
        assertEquals(CEILING, timeout(new long[] {10, 3000}, new long[] {1, 100}));
        assertEquals(CEILING, gapTimeoutNanos(new long[] {Long.MAX_VALUE}, new long[] {Long.MAX_VALUE}, 1,
                FLOOR, CEILING), "huge inputs are capped, not overflowed");
    }

    @Test
    void noMeasuredLinkGivesTheCeiling() {
        assertEquals(CEILING, gapTimeoutNanos(new long[0], new long[0], 0, FLOOR, CEILING));
    }

    @Test
    void onlyTheFirstNLinksCount() {
        long[] srtt = {20_000, 40_000, 900_000};
        long[] rttVar = {1_000, 1_000, 1_000};
        assertEquals(timeout(new long[] {20, 40}, new long[] {1, 1}), gapTimeoutNanos(srtt, rttVar, 2, FLOOR, CEILING));
    }

    @Test
    void badArgumentsAreRefused() {
        long[] one = {1000};
        var e = assertThrows(IllegalArgumentException.class, () -> gapTimeoutNanos(one, one, 2, FLOOR, CEILING));
        assertEquals("n outside 0..min(1, 1): 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gapTimeoutNanos(one, one, -1, FLOOR, CEILING));
        e = assertThrows(IllegalArgumentException.class, () -> gapTimeoutNanos(new long[] {-1}, one, 1, FLOOR, CEILING));
        assertEquals("negative delay for link 0: srtt -1 us, rttvar 1000 us", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gapTimeoutNanos(one, one, 1, CEILING, FLOOR));
        assertThrows(IllegalArgumentException.class, () -> gapTimeoutNanos(one, one, 1, -1, CEILING));
        assertThrows(IllegalArgumentException.class,
                () -> gapTimeoutNanos(one, one, 1, FLOOR, ReorderBuffer.MAX_GAP_TIMEOUT_NANOS + 1));
    }
}
