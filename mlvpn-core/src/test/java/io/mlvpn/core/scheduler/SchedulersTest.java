package io.mlvpn.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.scheduler.Scheduler;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulersTest {

    @Test
    void createsEachSchedulerByItsName() {
        assertInstanceOf(AdaptiveScheduler.class, Schedulers.create("adaptive", 2));
        assertInstanceOf(WeightedRoundRobinScheduler.class, Schedulers.create("wrr", 2));
        assertInstanceOf(EarliestArrivalScheduler.class, Schedulers.create("earliest-arrival", 2));
        Scheduler redundant = Schedulers.create("redundant", 3);
        assertInstanceOf(RedundantScheduler.class, redundant);
        assertEquals(3, ((RedundantScheduler) redundant).copies());
        for (String name : Schedulers.NAMES) {
            assertEquals(name, Schedulers.create(name, 2).name());
        }
    }

    @Test
    void knowsTheNamesTheConfigurationAccepts() {
        assertEquals(TunnelConfig.SCHEDULERS, Schedulers.NAMES);
    }

    @Test
    void anUnknownNameIsRejectedListingTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Schedulers.create("fastest", 2));
        assertEquals("unknown scheduler \"fastest\"; known: adaptive, wrr, earliest-arrival, redundant", e.getMessage());
    }

    @Test
    void redundantWithFewerThanTwoCopiesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Schedulers.create("redundant", 1));
        assertEquals("adaptive", Schedulers.create("adaptive", 0).name(), "copies are ignored by the others");
    }

    @ParameterizedTest
    @ValueSource(strings = {"adaptive", "wrr", "earliest-arrival", "redundant"})
    void rejectsANegativePacketSize(String name) {
        Scheduler scheduler = Schedulers.create(name, 2);
        FakeLinkSet links = FakeLinkSet.withRates(0);
        var e = assertThrows(IllegalArgumentException.class, () -> scheduler.select(links, -1, new int[2]));
        assertEquals("packetBytes < 0: -1", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"adaptive", "wrr", "earliest-arrival", "redundant"})
    void selectAllocatesNothingAfterWarmUp(String name) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not measure per-thread allocation");
        Scheduler scheduler = Schedulers.create(name, 2);
        FakeLinkSet links = FakeLinkSet.withRates(50_000_000, 0, 20_000_000, 0);
        links.get(3).fallbackOnly = true;
        for (int i = 0; i < links.size(); i++) {
            links.get(i).srttMicros = 10_000 * (i + 1);
            links.get(i).deliveryRateBitsPerSecond = 10_000_000 * (i + 1);
        }
        scheduler.linksChanged(links);
        int[] sizes = new Random(13).ints(1024, 40, 1501).toArray();
        int[] targets = new int[2];
        long[] bytes = new long[links.size()];
        selectMany(scheduler, links, sizes, targets, bytes, 20_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        selectMany(scheduler, links, sizes, targets, bytes, 100_000);
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocatedBytes < 1024, name + " allocated " + allocatedBytes + " bytes over 100 000 selects");
        assertTrue(bytes[0] > 0 && bytes[1] > 0, "the normal links carried data");
    }

    /**
     * Selects {@code picks} times while links change state (so the order of use changes) and
     * measurements move (so weights and rankings are recomputed).
     */
    private static void selectMany(Scheduler scheduler, FakeLinkSet links, int[] sizes, int[] targets, long[] bytes, int picks) {
        for (int i = 0; i < picks; i++) {
            if ((i & 1023) == 0) {
                FakeLink link = links.get((i >> 10) & 3);
                link.state = link.state == LinkState.UP ? LinkState.LOSSY : LinkState.UP;
                link.inFlightBytes = (i & 4095) * 16L;
                link.deliveryRateBitsPerSecond += 1_000_000;
            }
            int size = sizes[i & 1023];
            int n = scheduler.select(links, size, targets);
            for (int t = 0; t < n; t++) {
                bytes[targets[t]] += size;
            }
        }
    }
}
