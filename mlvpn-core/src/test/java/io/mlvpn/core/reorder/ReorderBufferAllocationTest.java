package io.mlvpn.core.reorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ReorderBufferAllocationTest {

    private static final long TIMEOUT_NANOS = 1_000_000;

    private final Object[] items = new Object[1024];
    private final ReorderBuffer<Object> buffer = new ReorderBuffer<>(256);
    private final DuplicateFilter filter = new DuplicateFilter();
    private long polled;

    ReorderBufferAllocationTest() {
        for (int i = 0; i < items.length; i++) {
            items[i] = new Object();
        }
        buffer.setGapTimeoutNanos(TIMEOUT_NANOS);
        buffer.resetTo(0); // the first round offers 1 before 0
    }

    @Test
    void offerPollExpireAndTheFilterAllocateNothingInSteadyState() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not measure per-thread allocation");
        run(0, 20_000); // warm-up: let the JIT compile the paths
        long before = threads.getCurrentThreadAllocatedBytes();
        run(20_000, 35_000); // 15 000 rounds of 6 offers, 5 polls, 2 expires, filter calls: > 100 000 operations
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocatedBytes < 1024, "allocated " + allocatedBytes + " bytes over 15 000 rounds");
        assertEquals(35_000L * 4, polled, "every accepted item came back");
        assertEquals(35_000, buffer.late());
        assertEquals(35_000L * 2, buffer.duplicates());
        assertEquals(35_000, buffer.skippedGaps());
    }

    /** Each round: a swap, a duplicate, a gap skipped by expire, a late packet, the filter alone. */
    private void run(int fromRound, int toRound) {
        for (int round = fromRound; round < toRound; round++) {
            long base = 4L * round;
            long now = round * 2 * TIMEOUT_NANOS;
            buffer.expire(now);
            buffer.offer(base + 1, item(base + 1), now);              // held: base is missing
            buffer.offer(base, item(base), now);                      // in order: releases base, base + 1
            buffer.offer(base + 1, item(base + 1), now);              // duplicate of a delivered one
            buffer.offer(base + 3, item(base + 3), now);              // held: base + 2 is missing
            buffer.offer(base + 3, item(base + 3), now);              // duplicate of a held one
            if (buffer.nextDeadlineNanos() != Long.MAX_VALUE) {
                buffer.expire(buffer.nextDeadlineNanos());            // skips base + 2, releases base + 3
            }
            buffer.offer(base + 2, item(base + 2), now + TIMEOUT_NANOS); // late
            while (buffer.poll() != null) {
                polled++;
            }
            filter.firstTime(base);
            filter.firstTime(base);
        }
    }

    private Object item(long seq) {
        return items[(int) seq & (items.length - 1)];
    }
}
