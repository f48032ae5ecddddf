package io.mlvpn.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.scheduler.Scheduler;
import java.util.Random;

/** Drives a single-link-per-packet scheduler with packets and checks the split, for tests. */
final class Traffic {
    private Traffic() {
    }

    /** Sends {@code picks} packets of 40 to 1500 bytes, each to exactly one link; returns the bytes each link got. */
    static long[] sendMixed(Scheduler scheduler, FakeLinkSet links, int picks, Random random) {
        int[] targets = new int[1];
        long[] bytes = new long[links.size()];
        for (int i = 0; i < picks; i++) {
            int size = 40 + random.nextInt(1461);
            assertEquals(1, scheduler.select(links, size, targets), "links selected at pick " + i);
            bytes[targets[0]] += size;
        }
        return bytes;
    }

    /** Asserts each link's share of the bytes is within {@code tolerance} of {@code expected}. */
    static void assertShares(long[] bytes, double tolerance, double... expected) {
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        for (int i = 0; i < bytes.length; i++) {
            assertEquals(expected[i], (double) bytes[i] / total, tolerance, "share of link " + i);
        }
    }
}
