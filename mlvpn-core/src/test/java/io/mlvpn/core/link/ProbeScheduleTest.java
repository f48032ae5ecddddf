package io.mlvpn.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProbeScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void aLinkThatWasUpIsProbedEvery100msForAMinute() {
        ProbeSchedule s = new ProbeSchedule();
        s.down(0, true);
        assertTrue(s.due(0));
        long now = 0;
        int probes = 0;
        while (now < 60_000 * MS) {
            if (s.due(now)) {
                s.sent(now);
                probes++;
            }
            now += 10 * MS;
        }
        assertEquals(600, probes);
    }

    @Test
    void afterTheFirstMinuteItBacksOff() {
        ProbeSchedule s = new ProbeSchedule();
        s.down(0, true);
        s.sent(61_000 * MS);
        assertEquals(62_000 * MS, s.nextNanos());
        s.sent(62_000 * MS);
        assertEquals(64_000 * MS, s.nextNanos());
    }

    @Test
    void aLinkThatNeverCameUpBacksOffFromOneSecondToSixty() {
        ProbeSchedule s = new ProbeSchedule();
        s.down(0, false);
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
        long now = 0;
        for (long e : expected) {
            assertTrue(s.due(now));
            s.sent(now);
            assertFalse(s.due(now + e * 1000 * MS - 1));
            now += e * 1000 * MS;
            assertEquals(now, s.nextNanos());
        }
    }

    @Test
    void goingDownAgainResetsTheBackoff() {
        ProbeSchedule s = new ProbeSchedule();
        s.down(0, false);
        s.sent(0);
        s.sent(1000 * MS);
        s.down(5000 * MS, false);
        s.sent(5000 * MS);
        assertEquals(6000 * MS, s.nextNanos());
    }
}
