package io.mlvpn.testkit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The impairment arithmetic on made-up times: exact, no sockets, no clock. */
class LinkModelTest {
    private static final long T0 = 1_000_000_000L;

    @Test
    void rateSpacesDatagramsByTheirSerialisationTime() {
        // 1250 bytes at 20 Mbit/s take exactly 500 microseconds.
        Impairment imp = Impairment.builder().rateBitsPerSecond(20_000_000).queueBytes(Integer.MAX_VALUE).build();
        LinkModel m = new LinkModel(1);
        for (int i = 1; i <= 1000; i++) {
            assertEquals(LinkModel.ACCEPTED, m.admit(T0, 1250, imp));
            assertEquals(T0 + i * 500_000L, m.releaseNanos());
        }
    }

    @Test
    void spacedArrivalsBelowTheRateAreNotDelayed() {
        Impairment imp = Impairment.builder().rateBitsPerSecond(8_000_000).build();
        LinkModel m = new LinkModel(1);
        for (int i = 0; i < 10; i++) {
            long arrival = T0 + i * 2_000_000L;
            assertEquals(LinkModel.ACCEPTED, m.admit(arrival, 1000, imp));
            assertEquals(arrival + 1_000_000L, m.releaseNanos(), "only the 1 ms serialisation");
        }
    }

    @Test
    void fullQueueDropsAndDrainedQueueAcceptsAgain() {
        // 1000 bytes at 1 Mbit/s take 8 ms; the queue holds 10 000 bytes including the one being sent.
        Impairment imp = Impairment.builder().rateBitsPerSecond(1_000_000).queueBytes(10_000).build();
        LinkModel m = new LinkModel(1);
        int accepted = 0;
        int dropped = 0;
        for (int i = 0; i < 100; i++) {
            int verdict = m.admit(T0, 1000, imp);
            if (verdict == LinkModel.ACCEPTED) {
                accepted++;
            } else {
                assertEquals(LinkModel.DROPPED_BY_QUEUE, verdict);
                dropped++;
            }
        }
        assertEquals(10, accepted);
        assertEquals(90, dropped);
        assertEquals(T0 + 80_000_000L, m.releaseNanos());
        // Once one datagram has left there is room for one more, and it queues behind the rest.
        assertEquals(LinkModel.ACCEPTED, m.admit(T0 + 8_000_000L, 1000, imp));
        assertEquals(T0 + 88_000_000L, m.releaseNanos());
        assertEquals(LinkModel.DROPPED_BY_QUEUE, m.admit(T0 + 8_000_000L, 1000, imp));
        // Fully drained: sent at once.
        assertEquals(LinkModel.ACCEPTED, m.admit(T0 + 100_000_000L, 1000, imp));
        assertEquals(T0 + 108_000_000L, m.releaseNanos());
    }

    @Test
    void emptyQueueAcceptsADatagramLargerThanTheQueue() {
        Impairment imp = Impairment.builder().rateBitsPerSecond(1_000_000).queueBytes(100).build();
        LinkModel m = new LinkModel(1);
        assertEquals(LinkModel.ACCEPTED, m.admit(T0, 1500, imp));
        assertEquals(LinkModel.DROPPED_BY_QUEUE, m.admit(T0, 1500, imp));
    }

    @Test
    void worksAcrossTheNanoTimeWrap() {
        Impairment imp = Impairment.builder().rateBitsPerSecond(1_000_000).queueBytes(3000).build();
        LinkModel m = new LinkModel(1);
        long nearWrap = Long.MAX_VALUE - 5_000_000L;
        assertEquals(LinkModel.ACCEPTED, m.admit(nearWrap, 1000, imp));
        assertEquals(LinkModel.ACCEPTED, m.admit(nearWrap, 1000, imp));
        assertEquals(nearWrap + 16_000_000L, m.releaseNanos(), "wraps to a negative value, still 16 ms later");
        assertEquals(LinkModel.DROPPED_BY_QUEUE, m.admit(nearWrap + 1, 2000, imp));
    }

    @Test
    void delayShiftsEveryDatagram() {
        Impairment imp = Impairment.builder().delay(Duration.ofMillis(40)).build();
        LinkModel m = new LinkModel(1);
        assertEquals(LinkModel.ACCEPTED, m.admit(T0, 100, imp));
        assertEquals(T0 + 40_000_000L, m.releaseNanos());
    }

    @Test
    void rateThenDelay() {
        Impairment imp = Impairment.builder().rateBitsPerSecond(8_000_000).delay(Duration.ofMillis(10)).build();
        LinkModel m = new LinkModel(1);
        m.admit(T0, 1000, imp);
        assertEquals(T0 + 11_000_000L, m.releaseNanos());
        m.admit(T0, 1000, imp);
        assertEquals(T0 + 12_000_000L, m.releaseNanos());
    }

    @Test
    void jitterStaysWithinItsBoundsAndSpreadsBothWays() {
        Impairment imp = Impairment.builder().delay(Duration.ofMillis(20)).jitter(Duration.ofMillis(5)).build();
        LinkModel m = new LinkModel(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            assertEquals(LinkModel.ACCEPTED, m.admit(T0, 100, imp));
            long d = m.releaseNanos() - T0;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min >= 15_000_000L && min < 15_100_000L, "min " + min);
        assertTrue(max <= 25_000_000L && max > 24_900_000L, "max " + max);
    }

    @Test
    void jitterBeyondTheDelayNeverReleasesEarly() {
        Impairment imp = Impairment.builder().delay(Duration.ofMillis(1)).jitter(Duration.ofMillis(5)).build();
        LinkModel m = new LinkModel(7);
        int atOnce = 0;
        for (int i = 0; i < 1000; i++) {
            m.admit(T0, 100, imp);
            assertTrue(m.releaseNanos() - T0 >= 0);
            if (m.releaseNanos() == T0) {
                atOnce++;
            }
        }
        assertTrue(atOnce > 200, "offsets below zero clamp to zero: " + atOnce);
    }

    @Test
    void lossDropsAboutTheFractionAndRepeatsWithTheSeed() {
        Impairment imp = Impairment.builder().lossProbability(0.1).build();
        boolean[] first = lossPattern(42, imp, 10_000);
        int lost = 0;
        for (boolean b : first) {
            lost += b ? 1 : 0;
        }
        assertTrue(lost >= 800 && lost <= 1200, "lost " + lost + " of 10000");
        assertTrue(Arrays.equals(first, lossPattern(42, imp, 10_000)), "same seed, same losses");
        assertNotEquals(Arrays.toString(first), Arrays.toString(lossPattern(43, imp, 10_000)));
    }

    @Test
    void certainLossDropsEverythingAndNoLossNothing() {
        LinkModel m = new LinkModel(1);
        Impairment all = Impairment.builder().lossProbability(1).build();
        for (int i = 0; i < 100; i++) {
            assertEquals(LinkModel.DROPPED_BY_LOSS, m.admit(T0, 10, all));
            assertEquals(LinkModel.ACCEPTED, m.admit(T0, 10, Impairment.NONE));
        }
    }

    private static boolean[] lossPattern(long seed, Impairment imp, int n) {
        LinkModel m = new LinkModel(seed);
        boolean[] lost = new boolean[n];
        for (int i = 0; i < n; i++) {
            lost[i] = m.admit(T0 + i, 100, imp) == LinkModel.DROPPED_BY_LOSS;
        }
        return lost;
    }
}
