package io.mlvpn.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TruncatedCounterTest {

    @Test
    void firstValuesNeedNoHistory() {
        assertEquals(0, TruncatedCounter.expand(-1, 0));
        assertEquals(5, TruncatedCounter.expand(-1, 5));
    }

    @Test
    void crossesThe32BitBoundaryForward() {
        long highest = 0xFFFF_FFF0L;
        assertEquals(0x1_0000_0002L, TruncatedCounter.expand(highest, 2));
        assertEquals(0xFFFF_FFF5L, TruncatedCounter.expand(highest, 0xFFFF_FFF5L));
    }

    @Test
    void lateValuesJustBeforeTheBoundaryStayBelowIt() {
        long highest = 0x1_0000_0003L;
        assertEquals(0xFFFF_FFF0L, TruncatedCounter.expand(highest, 0xFFFF_FFF0L));
        assertEquals(0x1_0000_0001L, TruncatedCounter.expand(highest, 1));
    }

    @Test
    void neverNegativeNearZero() {
        assertEquals(0xFFFF_FFF0L, TruncatedCounter.expand(2, 0xFFFF_FFF0L));
    }

    @Test
    void recoversAnyValueWithinHalfAWindow() {
        Random r = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long highest = r.nextLong() >>> 2;
            long delta = r.nextInt(Integer.MAX_VALUE) - (1L << 30);
            long actual = Math.max(0, highest + delta);
            assertEquals(actual, TruncatedCounter.expand(highest, actual & 0xFFFF_FFFFL),
                    "highest " + highest + " actual " + actual);
        }
    }
}
