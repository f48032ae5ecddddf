package io.mlvpn.core.reorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random streams: every sequence displaced by a bounded amount, 1 % lost, 0.5 % duplicated, each
 * arrival 10 µs after the previous one, the owner calling expire before each offer as its loop
 * would. The properties hold whatever the timeout and capacity; the generous case also shows that
 * nothing is late when the timeout covers the displacement.
 */
class ReorderBufferRandomTest {

    private static final int PACKETS = 100_000;
    private static final long ARRIVAL_SPACING_NANOS = 10_000;
    private static final long T0 = 123_456_789L;

    @ParameterizedTest(name = "capacity {0}, timeout {1} ns, displacement {2}, seed {3}")
    @CsvSource({
        "256, 1000000, 32, 1",   // timeout ~3x the displacement: nothing late
        "256,   80000, 32, 2",   // timeout a quarter of it: many gaps skipped too early
        "16,  1000000, 32, 3",   // capacity below the displacement: overflows
        "1024, 200000,  4, 4",
    })
    void everyPacketIsDeliveredOnceInOrderExceptCountedLateOnes(int capacity, long timeoutNanos, int displacement,
            long seed) {
        Random random = new Random(seed);
        boolean[] lost = new boolean[PACKETS];
        long[] arrivals = new long[PACKETS * 2];   // sort key in the high bits, sequence in the low 32
        int arrivalCount = 0;
        int lostCount = 0;
        int duplicateCount = 0;
        for (int seq = 0; seq < PACKETS; seq++) {
            boolean edge = seq == 0 || seq == PACKETS - 1;
            if (!edge && random.nextInt(1000) < 10) {
                lost[seq] = true;
                lostCount++;
                continue;
            }
            int copies = !edge && random.nextInt(1000) < 5 ? 2 : 1;
            duplicateCount += copies - 1;
            for (int c = 0; c < copies; c++) {
                long key = seq == 0 ? 0 : seq + random.nextInt(displacement + 1); // 0 arrives first
                arrivals[arrivalCount++] = (key << 32) | seq;
            }
        }
        Arrays.sort(arrivals, 0, arrivalCount);

        ReorderBuffer<Integer> buffer = new ReorderBuffer<>(capacity);
        buffer.setGapTimeoutNanos(timeoutNanos);
        int[] deliveredTimes = new int[PACKETS];
        boolean[] arrivedLate = new boolean[PACKETS];
        int[] statusCounts = new int[6];
        long lastInOrder = -1;
        int deliveredCount = 0;
        for (int k = 0; k < arrivalCount; k++) {
            long now = T0 + k * ARRIVAL_SPACING_NANOS;
            int seq = (int) arrivals[k];
            buffer.expire(now);
            lastInOrder = drain(buffer, deliveredTimes, arrivedLate, lastInOrder);
            int status = buffer.offer(seq, seq, now);
            statusCounts[status]++;
            if (status == ReorderBuffer.LATE) {
                arrivedLate[seq] = true;
            }
            lastInOrder = drain(buffer, deliveredTimes, arrivedLate, lastInOrder);
            long deadline = buffer.nextDeadlineNanos();
            assertTrue(buffer.held() == 0 ? deadline == Long.MAX_VALUE : deadline - now > 0,
                    "expire(now) left a gap already due");
        }
        buffer.flush();
        drain(buffer, deliveredTimes, arrivedLate, lastInOrder);

        for (int seq = 0; seq < PACKETS; seq++) {
            assertEquals(lost[seq] ? 0 : 1, deliveredTimes[seq], "deliveries of " + seq);
            deliveredCount += deliveredTimes[seq];
        }
        assertEquals(PACKETS - lostCount, deliveredCount);
        assertEquals(duplicateCount, statusCounts[ReorderBuffer.DUPLICATE]);
        assertEquals(duplicateCount, buffer.duplicates());
        assertEquals(0, statusCounts[ReorderBuffer.TOO_OLD]);
        assertEquals(statusCounts[ReorderBuffer.LATE], buffer.late());
        assertEquals(statusCounts[ReorderBuffer.HELD], buffer.reordered(), "every held packet released once");
        assertEquals(statusCounts[ReorderBuffer.OVERFLOW], buffer.overflows());
        assertEquals(deliveredCount, statusCounts[ReorderBuffer.IN_ORDER] + statusCounts[ReorderBuffer.HELD]
                + statusCounts[ReorderBuffer.LATE] + statusCounts[ReorderBuffer.OVERFLOW]);
        assertEquals(lostCount + buffer.late(), buffer.skippedPackets(), "each skipped sequence was lost or came late");
        assertTrue(buffer.skippedGaps() <= buffer.skippedPackets());
        assertEquals(0, buffer.held());
        assertEquals(PACKETS, buffer.nextExpectedSeq());
        assertTrue(buffer.reordered() > 0, "the stream was reordered");
        if (timeoutNanos >= 3 * displacement * ARRIVAL_SPACING_NANOS && capacity > 4 * displacement) {
            assertEquals(0, buffer.late(), "a timeout covering the displacement makes nothing late");
            assertEquals(lostCount, buffer.skippedPackets());
        }
        if (timeoutNanos < displacement * ARRIVAL_SPACING_NANOS / 2) {
            assertTrue(buffer.late() > 0, "a timeout below the displacement gives up gaps that then fill");
        }
        if (capacity < displacement) {
            assertTrue(buffer.overflows() > 0, "capacity below the displacement overflows");
        }
    }

    /** Polls until empty, checking that all but late items come out strictly increasing. */
    private static long drain(ReorderBuffer<Integer> buffer, int[] deliveredTimes, boolean[] arrivedLate,
            long lastInOrder) {
        for (Integer item = buffer.poll(); item != null; item = buffer.poll()) {
            int seq = item;
            deliveredTimes[seq]++;
            if (!arrivedLate[seq]) {
                assertTrue(seq > lastInOrder, seq + " released after " + lastInOrder);
                lastInOrder = seq;
            }
        }
        return lastInOrder;
    }
}
