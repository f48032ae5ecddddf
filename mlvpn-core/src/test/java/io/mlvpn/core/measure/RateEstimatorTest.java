package io.mlvpn.core.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class RateEstimatorTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void isZeroWithoutTraffic() {
        RateEstimator rate = new RateEstimator(clock);
        assertEquals(0, rate.bitsPerSecond());
        clock.advanceMillis(5_000);
        assertEquals(0, rate.bitsPerSecond());
    }

    @Test
    void dividesByTheSpanOfTheWindow() {
        RateEstimator rate = new RateEstimator(clock);
        clock.advanceMillis(50);
        rate.record(1_000);
        clock.advanceMillis(900);
        // 8 000 bits over 9 whole buckets of 100 ms plus 50 ms of the current one
        assertEquals(8_421, rate.bitsPerSecond());
    }

    @Test
    void measuresSteadyTraffic() {
        RateEstimator rate = new RateEstimator(clock);
        sendSteadily(rate, 1_250, 3_000); // 1 250 bytes every 10 ms = 1 Mbit/s
        assertWithin(1_000_000, rate.bitsPerSecond(), 0.01);
    }

    @Test
    void followsARateChangeWithinOneWindow() {
        RateEstimator rate = new RateEstimator(clock);
        sendSteadily(rate, 1_250, 2_000);
        sendSteadily(rate, 2_500, 1_000);
        assertWithin(2_000_000, rate.bitsPerSecond(), 0.01);
    }

    @Test
    void fallsToZeroOneWindowAfterTrafficStops() {
        RateEstimator rate = new RateEstimator(clock);
        sendSteadily(rate, 1_250, 1_000);
        clock.advanceMillis(500);
        assertWithin(500_000, rate.bitsPerSecond(), 0.05);
        clock.advanceMillis(600);
        assertEquals(0, rate.bitsPerSecond());
    }

    @Test
    void reusesASlotOnlyForItsNewPeriod() {
        RateEstimator rate = new RateEstimator(clock);
        clock.advanceMillis(50);
        rate.record(1_000);
        clock.advanceMillis(1_000); // same slot, ten buckets later
        rate.record(500);
        assertEquals(4_210, rate.bitsPerSecond()); // 4 000 bits over 0.95 s; the old 1 000 bytes are gone
    }

    @Test
    void handlesTenGigabitsWithoutOverflow() {
        RateEstimator rate = new RateEstimator(clock);
        sendSteadily(rate, 12_500_000, 2_000); // 12.5 MB every 10 ms
        assertWithin(10_000_000_000L, rate.bitsPerSecond(), 0.01);
    }

    @Test
    void ignoresNonPositiveCounts() {
        RateEstimator rate = new RateEstimator(clock);
        rate.record(0);
        rate.record(-100);
        clock.advanceMillis(100);
        assertEquals(0, rate.bitsPerSecond());
    }

    @Test
    void supportsOtherWindows() {
        RateEstimator rate = new RateEstimator(clock, 200_000_000L, 4);
        assertEquals(50_000_000L, rate.bucketNanos());
        assertEquals(4, rate.buckets());
        sendSteadily(rate, 1_250, 1_000);
        assertWithin(1_000_000, rate.bitsPerSecond(), 0.05);
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new RateEstimator(clock, 1_000_000_000L, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateEstimator(clock, 1_000_000_000L, 1025));
        assertEquals("windowNanos < buckets: 5",
                assertThrows(IllegalArgumentException.class, () -> new RateEstimator(clock, 5, 10)).getMessage());
    }

    @Test
    void recordAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not measure per-thread allocation");
        RateEstimator rate = new RateEstimator(clock);
        sendSteadily(rate, 100, 10_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        sendSteadily(rate, 100, 100_000);
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocatedBytes < 1024, "allocated " + allocatedBytes + " bytes over 10 000 records");
    }

    /** Records {@code bytes} every 10 ms for {@code millis}, leaving the clock 5 ms after the last. */
    private void sendSteadily(RateEstimator rate, long bytes, int millis) {
        for (int t = 0; t < millis; t += 10) {
            rate.record(bytes);
            clock.advanceMillis(t + 10 < millis ? 10 : 5);
        }
    }

    private static void assertWithin(long expected, long actual, double tolerance) {
        assertTrue(Math.abs(actual - expected) <= expected * tolerance,
                "expected " + expected + " +/- " + tolerance * 100 + " %, was " + actual);
    }
}
