package io.mlvpn.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogRateLimiterTest {
    @Test
    void letsOneLinePerIntervalAndCountsTheRest() {
        LogRateLimiter limiter = new LogRateLimiter(1_000);
        assertEquals(0, limiter.permit(5_000));
        for (int i = 0; i < 7; i++) {
            assertEquals(-1, limiter.permit(5_001 + i));
        }
        assertEquals(7, limiter.suppressed());
        assertEquals(-1, limiter.permit(5_999));
        assertEquals(8, limiter.permit(6_000));
        assertEquals(0, limiter.suppressed());
        assertEquals(0, limiter.permit(7_000));
    }

    @Test
    void firstLineIsAlwaysLetThroughWhateverTheClockSays() {
        assertEquals(0, new LogRateLimiter(10).permit(Long.MIN_VALUE + 1));
        assertEquals(0, new LogRateLimiter(10).permit(-42));
    }

    @Test
    void refusesAnEmptyInterval() {
        assertThrows(IllegalArgumentException.class, () -> new LogRateLimiter(0));
    }
}
