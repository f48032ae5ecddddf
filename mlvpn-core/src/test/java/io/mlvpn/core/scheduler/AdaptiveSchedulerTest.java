package io.mlvpn.core.scheduler;

import static io.mlvpn.core.scheduler.Traffic.assertShares;
import static io.mlvpn.core.scheduler.Traffic.sendMixed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.LinkState;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveSchedulerTest {
    private static final double TOLERANCE = 0.01;
    private final AdaptiveScheduler scheduler = new AdaptiveScheduler();

    @Test
    void isNamedAdaptive() {
        assertEquals("adaptive", scheduler.name());
    }

    @Test
    void sharesFollowMeasuredRates() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 50_000_000;
        links.get(1).deliveryRateBitsPerSecond = 20_000_000;
        scheduler.linksChanged(links);
        // Both deliver without loss, so both get the same headroom and the ratio stays 50:20.
        assertShares(sendMixed(scheduler, links, 10_000, new Random(1)), TOLERANCE, 50 / 70.0, 20 / 70.0);
    }

    @Test
    void withoutMeasurementsLinksWeighTheSame() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0);
        scheduler.linksChanged(links);
        assertShares(sendMixed(scheduler, links, 10_000, new Random(2)), TOLERANCE, 1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    @Test
    void withoutMeasurementsConfiguredRatesAreTheWeights() {
        FakeLinkSet links = FakeLinkSet.withRates(30_000_000, 10_000_000);
        scheduler.linksChanged(links);
        assertShares(sendMixed(scheduler, links, 10_000, new Random(3)), TOLERANCE, 0.75, 0.25);
    }

    @Test
    void anUnmeasuredLinkAmongMeasuredOnesGetsTheAverageWeight() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0);
        links.get(0).deliveryRateBitsPerSecond = 40_000_000;
        links.get(1).deliveryRateBitsPerSecond = 20_000_000;
        scheduler.linksChanged(links);
        long w0 = scheduler.weightBitsPerSecond(0);
        long w1 = scheduler.weightBitsPerSecond(1);
        assertEquals((long) (40_000_000 * AdaptiveScheduler.HEADROOM), w0);
        assertEquals((w0 + w1) / 2, scheduler.weightBitsPerSecond(2));
        double total = w0 + w1 + (w0 + w1) / 2.0;
        assertShares(sendMixed(scheduler, links, 10_000, new Random(4)), TOLERANCE, w0 / total, w1 / total, (w0 + w1) / 2.0 / total);
    }

    @Test
    void aConfiguredRateLetsTheWeightGrowToItButNotShrinkBelowTheMeasurement() {
        FakeLinkSet links = FakeLinkSet.withRates(40_000_000, 30_000_000, 0);
        links.get(0).deliveryRateBitsPerSecond = 10_000_000;
        links.get(1).deliveryRateBitsPerSecond = 45_000_000;
        links.get(2).deliveryRateBitsPerSecond = 20_000_000;
        scheduler.linksChanged(links);
        assertEquals(40_000_000, scheduler.weightBitsPerSecond(0));
        assertEquals(45_000_000, scheduler.weightBitsPerSecond(1));
        assertEquals((long) (20_000_000 * AdaptiveScheduler.HEADROOM), scheduler.weightBitsPerSecond(2));
    }

    @Test
    void aLinkThatLosesGetsNoHeadroomSoTrafficShiftsAway() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 50_000_000;
        links.get(0).lossRatio = 0.05;
        links.get(1).deliveryRateBitsPerSecond = 20_000_000;
        scheduler.linksChanged(links);
        double w1 = 20_000_000 * AdaptiveScheduler.HEADROOM;
        assertShares(sendMixed(scheduler, links, 10_000, new Random(5)), TOLERANCE,
                50_000_000 / (50_000_000 + w1), w1 / (50_000_000 + w1));
    }

    @Test
    void aCollapsedMeasurementStillGetsTheProbeFloor() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 100_000_000;
        links.get(1).deliveryRateBitsPerSecond = 1_000_000;
        scheduler.linksChanged(links);
        long max = scheduler.weightBitsPerSecond(0);
        assertEquals(max / AdaptiveScheduler.PROBE_FLOOR_DIVISOR, scheduler.weightBitsPerSecond(1));
    }

    @Test
    void reReadsRatesAfterAboutTenMillisecondsOfBytesNotOnEveryPacket() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 40_000_000;
        links.get(1).deliveryRateBitsPerSecond = 40_000_000;
        scheduler.linksChanged(links);
        long before = scheduler.weightBitsPerSecond(1);
        // 2 x 50 Mbit/s of weight: 10 ms of it is 125 000 bytes.
        long refreshBytes = (scheduler.weightBitsPerSecond(0) + before) / 800;

        links.get(1).deliveryRateBitsPerSecond = 8_000_000;
        int[] targets = new int[1];
        long sent = 0;
        while (sent + 1000 < refreshBytes) {
            scheduler.select(links, 1000, targets);
            sent += 1000;
            assertEquals(before, scheduler.weightBitsPerSecond(1), "re-read after " + sent + " bytes");
        }
        scheduler.select(links, 1000, targets);
        scheduler.select(links, 1000, targets);
        assertEquals((long) (8_000_000 * AdaptiveScheduler.HEADROOM), scheduler.weightBitsPerSecond(1));
        assertShares(sendMixed(scheduler, links, 10_000, new Random(6)), TOLERANCE, 40 / 48.0, 8 / 48.0);
    }

    @Test
    void linksChangedReReadsRatesAtOnce() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        scheduler.linksChanged(links);
        sendMixed(scheduler, links, 10, new Random(7));
        links.get(0).deliveryRateBitsPerSecond = 30_000_000;
        links.get(1).deliveryRateBitsPerSecond = 10_000_000;
        scheduler.linksChanged(links);
        assertEquals((long) (10_000_000 * AdaptiveScheduler.HEADROOM), scheduler.weightBitsPerSecond(1));
        assertShares(sendMixed(scheduler, links, 10_000, new Random(8)), TOLERANCE, 0.75, 0.25);
    }

    @Test
    void followsTheOrderOfUse() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0, 0);
        links.get(0).deliveryRateBitsPerSecond = 1_000_000;
        links.get(1).deliveryRateBitsPerSecond = 90_000_000;
        links.get(1).fallbackOnly = true;
        links.get(2).state = LinkState.LOSSY;
        scheduler.linksChanged(links);
        assertShares(sendMixed(scheduler, links, 1000, new Random(9)), 0, 1, 0, 0);
        links.get(0).state = LinkState.SUSPECT;
        assertShares(sendMixed(scheduler, links, 1000, new Random(10)), 0, 0, 1, 0);
        links.get(1).state = LinkState.DOWN;
        assertShares(sendMixed(scheduler, links, 1000, new Random(11)), 0, 0, 0, 1);
    }

    @Test
    void aQueueingLinkGetsNoHeadroomAndTrafficMovesTowardTheShorterQueue() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        // Link 0 queues: its srtt stands 40 ms above its 20 ms minimum, though it loses nothing yet.
        links.get(0).deliveryRateBitsPerSecond = 30_000_000;
        links.get(0).srttMicros = 60_000;
        links.get(0).minRttMicros = 20_000;
        links.get(1).deliveryRateBitsPerSecond = 30_000_000;
        links.get(1).srttMicros = 21_000;
        links.get(1).minRttMicros = 20_000;
        scheduler.linksChanged(links);
        // No headroom for link 0, and the queue balance at its bounds: 0.8 for the long queue,
        // 1.25 for the short one (mean queue 20.5 ms: 25.5/45 and 25.5/6 before the bounds).
        long w0 = (long) (30_000_000 * AdaptiveScheduler.MIN_BALANCE);
        long w1 = (long) ((long) (30_000_000 * AdaptiveScheduler.HEADROOM) * AdaptiveScheduler.MAX_BALANCE);
        assertEquals(w0, scheduler.weightBitsPerSecond(0));
        assertEquals(w1, scheduler.weightBitsPerSecond(1));
        assertShares(sendMixed(scheduler, links, 10_000, new Random(11)), TOLERANCE,
                w0 / (double) (w0 + w1), w1 / (double) (w0 + w1));
    }

    @Test
    void twoQueueingLinksAreWeighedTowardEqualQueues() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 40_000_000;
        links.get(0).srttMicros = 14_000;
        links.get(0).minRttMicros = 2_000;
        links.get(1).deliveryRateBitsPerSecond = 40_000_000;
        links.get(1).srttMicros = 10_000;
        links.get(1).minRttMicros = 2_000;
        scheduler.linksChanged(links);
        // Queues of 12 and 8 ms, mean 10: factors (10+5)/(12+5) and (10+5)/(8+5).
        assertEquals((long) (40_000_000 * (15.0 / 17.0)), scheduler.weightBitsPerSecond(0));
        assertEquals((long) (40_000_000 * (15.0 / 13.0)), scheduler.weightBitsPerSecond(1));
        // Equal queues: the delivery rates alone decide.
        links.get(0).srttMicros = 10_000;
        scheduler.linksChanged(links);
        assertEquals(40_000_000, scheduler.weightBitsPerSecond(0));
        assertEquals(40_000_000, scheduler.weightBitsPerSecond(1));
    }

    @Test
    void aLinkWithoutAMinimumRttIsNotTakenAsQueueing() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 30_000_000;
        links.get(0).srttMicros = 60_000;
        links.get(1).deliveryRateBitsPerSecond = 30_000_000;
        links.get(1).srttMicros = 60_000;
        links.get(1).minRttMicros = 55_000;
        scheduler.linksChanged(links);
        long withHeadroom = (long) (30_000_000 * AdaptiveScheduler.HEADROOM);
        assertEquals(withHeadroom, scheduler.weightBitsPerSecond(0), "minimum unknown");
        assertEquals(withHeadroom, scheduler.weightBitsPerSecond(1), "5 ms above the minimum is jitter");
    }

    @Test
    void aLinkThatStopsQueueingGetsItsHeadroomBackOnTheNextReread() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        links.get(0).deliveryRateBitsPerSecond = 30_000_000;
        links.get(0).srttMicros = 60_000;
        links.get(0).minRttMicros = 20_000;
        links.get(1).deliveryRateBitsPerSecond = 30_000_000;
        scheduler.linksChanged(links);
        assertEquals(30_000_000, scheduler.weightBitsPerSecond(0));
        links.get(0).srttMicros = 22_000;
        scheduler.linksChanged(links);
        assertEquals((long) (30_000_000 * AdaptiveScheduler.HEADROOM), scheduler.weightBitsPerSecond(0));
    }

    @Test
    void aConfiguredRateStillCountsForAQueueingLink() {
        FakeLinkSet links = FakeLinkSet.withRates(40_000_000, 0);
        links.get(0).deliveryRateBitsPerSecond = 30_000_000;
        links.get(0).srttMicros = 60_000;
        links.get(0).minRttMicros = 20_000;
        links.get(1).deliveryRateBitsPerSecond = 10_000_000;
        scheduler.linksChanged(links);
        assertEquals(40_000_000, scheduler.weightBitsPerSecond(0));
    }
}
