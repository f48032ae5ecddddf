package io.mlvpn.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkState;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinSchedulerTest {
    private final WeightedRoundRobinScheduler scheduler = new WeightedRoundRobinScheduler();
    private final int[] targets = new int[1];

    @Test
    void isNamedWrr() {
        assertEquals("wrr", scheduler.name());
    }

    @Test
    void splitsBytesByConfiguredRates() {
        FakeLinkSet links = FakeLinkSet.withRates(71_000_000, 29_000_000);
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 10_000, new Random(42)), 0.71, 0.29);
    }

    @Test
    void splitsBytesEquallyWhenNoRateIsSet() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 10_000, new Random(7)), 0.5, 0.5);
    }

    @Test
    void splitsBytesEquallyWhenAnyUsableLinkHasNoRate() {
        FakeLinkSet links = FakeLinkSet.withRates(90_000_000, 0, 10_000_000);
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 10_000, new Random(9)), 1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    @Test
    void unsetRateOfALinkThatIsDownDoesNotEqualiseTheOthers() {
        FakeLinkSet links = FakeLinkSet.withRates(75_000_000, 0, 25_000_000);
        links.get(1).state = LinkState.DOWN;
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 10_000, new Random(3)), 0.75, 0, 0.25);
    }

    @Test
    void splitsBytesAmongThreeLinks() {
        FakeLinkSet links = FakeLinkSet.withRates(50_000_000, 30_000_000, 20_000_000);
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 10_000, new Random(11)), 0.5, 0.3, 0.2);
    }

    @Test
    void oneLinkTakesEverything() {
        FakeLinkSet links = FakeLinkSet.withRates(10_000_000);
        scheduler.linksChanged(links);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, scheduler.select(links, 1400, targets));
            assertEquals(0, targets[0]);
        }
    }

    @Test
    void noUsableLinkSelectsNothing() {
        FakeLinkSet links = FakeLinkSet.withRates(10_000_000, 20_000_000);
        links.get(0).state = LinkState.DOWN;
        links.get(1).state = LinkState.CONNECTING;
        scheduler.linksChanged(links);
        targets[0] = -7;
        assertEquals(0, scheduler.select(links, 1400, targets));
        assertEquals(-7, targets[0]);

        links.get(1).state = LinkState.UP;
        assertEquals(1, scheduler.select(links, 1400, targets));
        assertEquals(1, targets[0]);
    }

    @Test
    void emptyLinkSetOrNoTargetSelectsNothing() {
        FakeLinkSet none = FakeLinkSet.withRates();
        scheduler.linksChanged(none);
        assertEquals(0, scheduler.select(none, 1400, targets));
        assertEquals(0, scheduler.select(FakeLinkSet.withRates(1_000), 1400, new int[0]));
    }

    @Test
    void skipsALinkThatIsDownAndDoesNotBurstWhenItReturns() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        scheduler.linksChanged(links);
        sendFixed(links, 1_000, 1000);

        links.get(1).state = LinkState.DOWN;
        scheduler.linksChanged(links);
        long[] whileDown = sendFixed(links, 1_000, 1000);
        assertEquals(0, whileDown[1]);
        assertEquals(1_000_000, whileDown[0]);

        links.get(1).state = LinkState.UP;
        scheduler.linksChanged(links);
        long[] afterReturn = sendFixed(links, 100, 1000);
        assertTrue(Math.abs(afterReturn[1] - 50_000) <= 1000, "returning link took " + afterReturn[1] + " of 100 000 bytes");
    }

    @Test
    void seesAStateChangeBeforeLinksChangedIsCalled() {
        FakeLinkSet links = FakeLinkSet.withRates(0, 0);
        scheduler.linksChanged(links);
        sendFixed(links, 100, 1000);
        links.get(0).state = LinkState.DOWN;
        assertEquals(100_000, sendFixed(links, 100, 1000)[1]);
        links.get(0).state = LinkState.UP;
        long[] afterReturn = sendFixed(links, 100, 1000);
        assertTrue(Math.abs(afterReturn[0] - 50_000) <= 1000, "returning link took " + afterReturn[0] + " of 100 000 bytes");
    }

    @Test
    void linksChangedAppliesNewRates() {
        FakeLinkSet links = FakeLinkSet.withRates(50_000_000, 50_000_000);
        scheduler.linksChanged(links);
        sendMixed(links, 1000, new Random(1));
        links.get(1).uploadBitsPerSecond = 150_000_000;
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 10_000, new Random(2)), 0.25, 0.75);
    }

    @Test
    void sizesItselfWhenLinksChangedWasNeverCalled() {
        FakeLinkSet links = FakeLinkSet.withRates(30_000_000, 10_000_000);
        assertShares(sendMixed(links, 10_000, new Random(5)), 0.75, 0.25);
    }

    @Test
    void extremeWeightsAndHugePacketsDoNotOverflow() {
        FakeLinkSet links = FakeLinkSet.withRates(Long.MAX_VALUE / 2, 1);
        scheduler.linksChanged(links);
        assertEquals(VirtualTimeWeights.COST_SCALE, scheduler.costPerByte(0));
        assertEquals(VirtualTimeWeights.COST_SCALE * VirtualTimeWeights.MAX_WEIGHT_RATIO,
                scheduler.costPerByte(1), VirtualTimeWeights.COST_SCALE);
        // Each pick charges 16 MiB: 2^40 on the fast link, 2^60 on the slow one, so 3 000 000
        // picks push the fast link's virtual time past the rebase threshold (2^61).
        long[] picks = new long[2];
        for (int i = 0; i < 3_000_000; i++) {
            if (scheduler.select(links, Integer.MAX_VALUE, targets) != 1) {
                throw new AssertionError("no link selected at pick " + i);
            }
            picks[targets[0]]++;
        }
        // The weight ratio is capped at 2^20 : 1, so the slow link gets about one pick in 2^20.
        assertTrue(picks[1] >= 2 && picks[1] <= 4, "slow link picked " + picks[1] + " times");
        for (int i = 0; i < 2; i++) {
            long time = scheduler.virtualTime(i);
            assertTrue(time >= 0 && time <= VirtualTimeWeights.REBASE_THRESHOLD, "virtual time " + time);
        }
    }

    @Test
    void fallbackLinksCarryDataOnlyWhileNoNormalLinkIsUp() {
        FakeLinkSet links = FakeLinkSet.withRates(10_000_000, 30_000_000, 10_000_000);
        links.get(1).fallbackOnly = true;
        links.get(2).fallbackOnly = true;
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 1000, new Random(21)), 1, 0, 0);

        links.get(0).state = LinkState.SUSPECT;
        assertShares(sendMixed(links, 10_000, new Random(22)), 0, 0.75, 0.25);

        links.get(0).state = LinkState.UP;
        assertShares(sendMixed(links, 1000, new Random(23)), 1, 0, 0);
    }

    @Test
    void degradedLinksOfEitherKindCarryDataOnlyWhenNoLinkIsUp() {
        FakeLinkSet links = FakeLinkSet.withRates(20_000_000, 60_000_000, 20_000_000, 50_000_000);
        links.get(1).state = LinkState.LOSSY;
        links.get(2).state = LinkState.HIGH_LATENCY;
        links.get(2).fallbackOnly = true;
        links.get(3).state = LinkState.SUSPECT;
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 1000, new Random(31)), 1, 0, 0, 0);

        links.get(0).state = LinkState.DOWN;
        scheduler.linksChanged(links);
        assertShares(sendMixed(links, 10_000, new Random(32)), 0, 0.75, 0.25, 0);

        links.get(2).state = LinkState.UP;
        assertShares(sendMixed(links, 1000, new Random(33)), 0, 0, 1, 0);
    }

    @Test
    void rejectsANegativePacketSize() {
        FakeLinkSet links = FakeLinkSet.withRates(0);
        assertEquals("packetBytes < 0: -1",
                assertThrows(IllegalArgumentException.class, () -> scheduler.select(links, -1, targets)).getMessage());
    }

    @Test
    void selectAllocatesNothingAfterWarmUp() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not measure per-thread allocation");
        FakeLinkSet links = FakeLinkSet.withRates(50_000_000, 30_000_000, 20_000_000);
        scheduler.linksChanged(links);
        int[] sizes = new Random(13).ints(1024, 40, 1501).toArray();
        long[] bytes = new long[3];
        selectMany(links, sizes, bytes, 20_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        selectMany(links, sizes, bytes, 100_000);
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocatedBytes < 1024, "allocated " + allocatedBytes + " bytes over 100 000 selects");
    }

    private void selectMany(FakeLinkSet links, int[] sizes, long[] bytes, int picks) {
        for (int i = 0; i < picks; i++) {
            int size = sizes[i & 1023];
            if (scheduler.select(links, size, targets) == 1) {
                bytes[targets[0]] += size;
            }
        }
    }

    /** Sends {@code picks} packets of 40 to 1500 bytes; returns the bytes each link got. */
    private long[] sendMixed(FakeLinkSet links, int picks, Random random) {
        long[] bytes = new long[links.size()];
        for (int i = 0; i < picks; i++) {
            int size = 40 + random.nextInt(1461);
            assertEquals(1, scheduler.select(links, size, targets));
            bytes[targets[0]] += size;
        }
        return bytes;
    }

    private long[] sendFixed(FakeLinkSet links, int picks, int size) {
        long[] bytes = new long[links.size()];
        for (int i = 0; i < picks; i++) {
            assertEquals(1, scheduler.select(links, size, targets));
            bytes[targets[0]] += size;
        }
        return bytes;
    }

    private static void assertShares(long[] bytes, double... expected) {
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        for (int i = 0; i < bytes.length; i++) {
            double share = (double) bytes[i] / total;
            assertEquals(expected[i], share, 0.005, "share of link " + i);
        }
    }
}
