package io.mlvpn.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.LinkState;
import org.junit.jupiter.api.Test;

class EarliestArrivalSchedulerTest {
    private static final int PACKET_BYTES = 1000;
    private final EarliestArrivalScheduler scheduler = new EarliestArrivalScheduler();
    private final int[] targets = new int[1];

    /**
     * Link 0: 50 Mbit/s, 20 ms round trip; link 1: 5 Mbit/s, 60 ms. An idle packet of 1000 bytes
     * arrives on link 1 after 30 000 + 8000 / 5 = 31 600 us; on link 0 after 10 000 + 0.16 us per
     * byte queued (itself included), so link 0 is faster until 135 000 bytes are queued there.
     */
    private static FakeLinkSet fastAndSlow() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 50_000_000;
        links.get(0).srttMicros = 20_000;
        links.get(1).deliveryRateBitsPerSecond = 5_000_000;
        links.get(1).srttMicros = 60_000;
        return links;
    }

    @Test
    void isNamedEarliestArrival() {
        assertEquals("earliest-arrival", scheduler.name());
    }

    @Test
    void predictsOneWayDelayPlusDrainTime() {
        FakeLinkSet links = fastAndSlow();
        links.get(0).inFlightBytes = 24_000;
        // 10 000 us one way + (24 000 + 1000) bytes * 8 / 50 Mbit/s = 4000 us.
        assertEquals(14_000, EarliestArrivalScheduler.predictedArrivalMicros(links.get(0), PACKET_BYTES), 1e-6);
        assertEquals(31_600, EarliestArrivalScheduler.predictedArrivalMicros(links.get(1), PACKET_BYTES), 1e-6);
    }

    @Test
    void prefersTheFastLinkWhileItsQueueIsShort() {
        FakeLinkSet links = fastAndSlow();
        links.get(0).inFlightBytes = 130_000;
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(0, targets[0]);
    }

    @Test
    void usesTheSlowLinkOnceTheFastQueueMakesItFaster() {
        FakeLinkSet links = fastAndSlow();
        links.get(0).inFlightBytes = 140_000;
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(1, targets[0]);
    }

    @Test
    void fillsTheFastLinkFirstThenSpillsOver() {
        FakeLinkSet links = fastAndSlow();
        // The engine counts each sent packet as in flight; nothing is acknowledged here.
        int onFastBeforeSlow = 0;
        while (true) {
            assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
            links.get(targets[0]).inFlightBytes += PACKET_BYTES;
            if (targets[0] == 1) {
                break;
            }
            onFastBeforeSlow++;
        }
        // Packets 1 to 134 find fewer than 134 000 bytes queued; the 135th ties at 31 600 us and
        // goes to the lower index; the 136th goes to the slow link.
        assertEquals(135, onFastBeforeSlow);
        // Now link 1 predicts 33 200 us and link 0 31 760 us.
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(0, targets[0]);
    }

    @Test
    void usesTheConfiguredRateThenTheDefaultWhenNothingIsMeasured() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 20_000_000);
        // Link 0 at the default 10 Mbit/s: 800 us for 1000 bytes; link 1 configured: 400 us.
        assertEquals(800, EarliestArrivalScheduler.predictedArrivalMicros(links.get(0), PACKET_BYTES), 1e-6);
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(1, targets[0]);
        // A measurement replaces both: 40 Mbit/s, 200 us.
        links.get(0).deliveryRateBitsPerSecond = 40_000_000;
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(0, targets[0]);
    }

    @Test
    void tiesGoToTheLowestIndex() {
        FakeLinkSet links = FakeLinkSet.withRates(10_000_000, 10_000_000, 10_000_000);
        links.get(0).state = LinkState.DOWN;
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(1, targets[0]);
    }

    @Test
    void aSlowNormalLinkIsUsedBeforeAFastFallbackOrDegradedOne() {
        FakeLinkSet links = fastAndSlow();
        links.get(0).fallbackOnly = true;
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(1, targets[0]);
        links.get(0).fallbackOnly = false;
        links.get(0).state = LinkState.HIGH_LATENCY;
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(1, targets[0]);
        links.get(1).state = LinkState.SUSPECT;
        assertEquals(1, scheduler.select(links, PACKET_BYTES, targets));
        assertEquals(0, targets[0]);
    }

    @Test
    void noCandidateSelectsNothing() {
        FakeLinkSet links = fastAndSlow();
        links.get(0).state = LinkState.SUSPECT;
        links.get(1).state = LinkState.CONNECTING;
        assertEquals(0, scheduler.select(links, PACKET_BYTES, targets));
    }
}
