package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.testkit.ManualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class HandshakeRateLimiterTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        HandshakeRateLimiter limiter = new HandshakeRateLimiter(clock);
        InetAddress a = address(1);
        assertEquals(20, acquireAll(limiter, a));
        clock.advanceMillis(99);
        assertFalse(limiter.tryAcquire(a), "less than one token after 99 ms at 10/s");
        clock.advanceMillis(1);
        assertTrue(limiter.tryAcquire(a));
        assertFalse(limiter.tryAcquire(a));
        clock.advanceMillis(500);
        assertEquals(5, acquireAll(limiter, a));
    }

    @Test
    void refillNeverExceedsTheBurst() {
        HandshakeRateLimiter limiter = new HandshakeRateLimiter(clock, 10, 20, 8);
        InetAddress a = address(1);
        acquireAll(limiter, a);
        clock.advanceMillis(3_600_000);
        assertEquals(20, acquireAll(limiter, a));
    }

    @Test
    void addressesHaveTheirOwnBuckets() {
        HandshakeRateLimiter limiter = new HandshakeRateLimiter(clock, 10, 3, 8);
        assertEquals(3, acquireAll(limiter, address(1)));
        assertEquals(3, acquireAll(limiter, address(2)));
        assertFalse(limiter.tryAcquire(address(1)));
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlyUsed() {
        HandshakeRateLimiter limiter = new HandshakeRateLimiter(clock, 10, 2, 2);
        assertEquals(2, acquireAll(limiter, address(1)));
        assertEquals(2, acquireAll(limiter, address(2)));
        assertEquals(2, acquireAll(limiter, address(3)));
        assertEquals(2, limiter.trackedAddresses());
        assertFalse(limiter.tryAcquire(address(3)), "the newest is still tracked");
        assertEquals(2, acquireAll(limiter, address(1)), "the oldest was forgotten and starts full");
        assertEquals(2, limiter.trackedAddresses());
    }

    @Test
    void boundsAreValidated() {
        assertEquals("perSecond < 1: 0",
                assertThrows(IllegalArgumentException.class, () -> new HandshakeRateLimiter(clock, 0, 1, 1))
                        .getMessage());
        assertEquals("burst < 1: 0",
                assertThrows(IllegalArgumentException.class, () -> new HandshakeRateLimiter(clock, 1, 0, 1))
                        .getMessage());
        assertEquals("maxAddresses < 1: -1",
                assertThrows(IllegalArgumentException.class, () -> new HandshakeRateLimiter(clock, 1, 1, -1))
                        .getMessage());
    }

    private static int acquireAll(HandshakeRateLimiter limiter, InetAddress a) {
        int n = 0;
        while (limiter.tryAcquire(a)) {
            n++;
            if (n > 1000) {
                throw new AssertionError("no limit");
            }
        }
        return n;
    }

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
