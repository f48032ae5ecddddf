package io.mlvpn.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000L;

    @Test
    void unlimitedWithoutARate() {
        Pacer p = new Pacer();
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, p.delayNanos(1500, 0, i));
        }
    }

    @Test
    void sendsAtTheRateAfterTheBurst() {
        Pacer p = new Pacer();
        long rate = 12_000_000L; // 1.5 MB/s: one 1500-byte packet per ms
        long now = 0;
        int sent = 0;
        while (now < 1_000 * MS) {
            long wait = p.delayNanos(1500, rate, now);
            if (wait == 0) {
                sent++;
            } else {
                now += wait;
            }
        }
        // 1000 packets in a second, plus the initial burst of 4 ms worth.
        assertTrue(sent >= 1000 && sent <= 1006, "sent " + sent);
    }

    @Test
    void theBurstIsBoundedAfterIdleTime() {
        Pacer p = new Pacer();
        long rate = 12_000_000L;
        assertEquals(0, p.delayNanos(1500, rate, 0));
        int burst = 0;
        long now = 10_000 * MS;
        while (p.delayNanos(1500, rate, now) == 0) {
            burst++;
        }
        assertEquals(4, burst, "4 ms at 1.5 MB/s");
    }

    @Test
    void waitIsTheTimeTheMissingTokensTake() {
        Pacer p = new Pacer();
        long rate = 8_000_000L; // 1 MB/s
        while (p.delayNanos(1000, rate, 0) == 0) {
            // drain the burst
        }
        assertEquals(1_000_001L, p.delayNanos(1000, rate, 0));
    }
}
