package io.mlvpn.core.measure;

import static io.mlvpn.core.measure.Queueing.MIN_QUEUE_MICROS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueueingTest {

    @Test
    void unknownValuesMeanNoQueue() {
        assertFalse(Queueing.building(0, 0));
        assertFalse(Queueing.building(500_000, 0), "no minimum yet");
        assertFalse(Queueing.building(0, 10_000), "no srtt yet");
        assertFalse(Queueing.building(-1, 10_000));
        assertFalse(Queueing.building(500_000, -1));
    }

    @Test
    void srttAtOrBelowTheMinimumIsNoQueue() {
        assertFalse(Queueing.building(20_000, 20_000));
        // The minimum is a single sample, srtt an average: it may briefly lie below it.
        assertFalse(Queueing.building(19_000, 20_000));
    }

    @Test
    void onShortPathsTheQueueMustExceedTheFloor() {
        long minRtt = 2_000;
        // 4 ms above a 2 ms path is twice the path's delay, but still scheduling noise.
        assertFalse(Queueing.building(minRtt + 4_000, minRtt));
        assertFalse(Queueing.building(minRtt + MIN_QUEUE_MICROS, minRtt), "the floor itself is not above it");
        assertTrue(Queueing.building(minRtt + MIN_QUEUE_MICROS + 1, minRtt));
    }

    @Test
    void onLongPathsTheQueueMustExceedHalfTheMinimum() {
        long minRtt = 100_000;
        // 40 ms of extra delay is far above the 5 ms floor, but within a long path's jitter.
        assertFalse(Queueing.building(minRtt + 40_000, minRtt));
        assertFalse(Queueing.building(minRtt + minRtt / 2, minRtt));
        assertTrue(Queueing.building(minRtt + minRtt / 2 + 1, minRtt));
        assertTrue(Queueing.building(4 * minRtt, minRtt));
    }

    @Test
    void theFloorAndTheHalfMeetAtTenMilliseconds() {
        long minRtt = 2 * MIN_QUEUE_MICROS;
        assertFalse(Queueing.building(minRtt + MIN_QUEUE_MICROS, minRtt));
        assertTrue(Queueing.building(minRtt + MIN_QUEUE_MICROS + 1, minRtt));
    }
}
