package io.mlvpn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlvpn.api.Clock;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void startsAtZeroAndAFixedWallClock() {
        Clock clock = new ManualClock();
        assertEquals(0L, clock.nanoTime());
        assertEquals(1_700_000_000_000L, clock.currentTimeMillis());
    }

    @Test
    void movesBothClocksOnlyWhenTold() {
        ManualClock clock = new ManualClock(5_000_000L, 1_000L);
        assertEquals(5_000_000L, clock.nanoTime());
        assertEquals(1_000L, clock.currentTimeMillis());
        clock.advanceMillis(250);
        clock.advanceNanos(999_999L);
        assertEquals(255_999_999L, clock.nanoTime());
        assertEquals(1_250L, clock.currentTimeMillis());
        assertEquals(1_250L, clock.currentTimeMillis());
    }

    @Test
    void refusesToGoBack() {
        ManualClock clock = new ManualClock();
        assertEquals("negative advance: -1",
                assertThrows(IllegalArgumentException.class, () -> clock.advanceNanos(-1)).getMessage());
        assertEquals(0L, clock.nanoTime());
    }
}
