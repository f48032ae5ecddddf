package io.mlvpn.core.inner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ICMP answer bucket, driven by explicit times: a burst, then the steady rate. */
class IcmpRateLimiterTest {
    private static final long MS = 1_000_000L;

    private static int permits(IcmpRateLimiter l, long now, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (l.tryAcquire(now)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aBurstThenOneAnswerPerTenMilliseconds() {
        IcmpRateLimiter l = new IcmpRateLimiter();
        assertEquals(IcmpRateLimiter.BURST, permits(l, 5 * MS, 1000));
        assertFalse(l.tryAcquire(14 * MS), "9 ms later: no token yet");
        assertTrue(l.tryAcquire(15 * MS), "10 ms later: one");
        assertFalse(l.tryAcquire(15 * MS));
        // Over one second of steady demand, 100 answers.
        int n = 0;
        for (long t = 16 * MS; t < 1_016 * MS; t += MS) {
            n += permits(l, t, 5);
        }
        assertEquals(IcmpRateLimiter.RATE_PER_SECOND, n);
    }

    @Test
    void aLongPauseRefillsOnlyTheBurst() {
        IcmpRateLimiter l = new IcmpRateLimiter();
        permits(l, 0, 100);
        assertEquals(IcmpRateLimiter.BURST, permits(l, Long.MAX_VALUE, 1000), "no overflow after the longest pause");
        assertEquals(IcmpRateLimiter.BURST, permits(l, Long.MIN_VALUE + 10 * 100 * MS, 1000),
                "monotonic time wraps: the difference counts");
    }

    @Test
    void timeGoingBackwardsAddsNothing() {
        IcmpRateLimiter l = new IcmpRateLimiter(1, 1);
        assertTrue(l.tryAcquire(1_000 * MS));
        assertFalse(l.tryAcquire(0));
        assertFalse(l.tryAcquire(1_500 * MS), "half a second after the last token, measured from the latest time");
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IcmpRateLimiter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRateLimiter(1, 0));
    }
}
