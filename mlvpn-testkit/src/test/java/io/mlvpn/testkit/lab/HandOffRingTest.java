package io.mlvpn.testkit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HandOffRingTest {

    @Test
    void capacityIsRoundedUpToAPowerOfTwo() {
        assertEquals(1, new HandOffRing<Integer>(1).capacity());
        assertEquals(8, new HandOffRing<Integer>(5).capacity());
        assertEquals(8192, new HandOffRing<Integer>(8192).capacity());
        assertEquals("capacity not in [1, 1073741824]: 0",
                assertThrows(IllegalArgumentException.class, () -> new HandOffRing<Integer>(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HandOffRing<Integer>(HandOffRing.MAX_CAPACITY + 1));
    }

    @Test
    void fullRingRefusesAndEmptyRingReturnsNull() {
        HandOffRing<Integer> ring = new HandOffRing<>(4);
        assertNull(ring.poll());
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(i));
        }
        assertFalse(ring.offer(4));
        assertEquals(0, ring.poll());
        assertTrue(ring.offer(4));
        assertThrows(NullPointerException.class, () -> ring.offer(null));
    }

    @Test
    void keepsOrderAcrossManyWrapArounds() {
        HandOffRing<Integer> ring = new HandOffRing<>(4);
        int next = 0;
        for (int round = 0; round < 1000; round++) {
            int n = 1 + round % 4;
            for (int i = 0; i < n; i++) {
                assertTrue(ring.offer(round * 4 + i));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(round * 4 + i, ring.poll());
                next++;
            }
            assertNull(ring.poll());
        }
        assertEquals(2500, next);
    }

    /** What the producer wrote into an element before offering it, the consumer sees after polling. */
    @Test
    void twoThreadsHandOverEveryElementInOrderWithItsContents() throws InterruptedException {
        final int count = 500_000;
        HandOffRing<long[]> ring = new HandOffRing<>(64);
        AtomicReference<String> failure = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            long expected = 0;
            while (expected < count) {
                long[] e = ring.poll();
                if (e == null) {
                    Thread.onSpinWait();
                    continue;
                }
                if (e[0] != expected || e[1] != ~expected) {
                    failure.compareAndSet(null, "expected " + expected + ", got " + e[0] + "/" + ~e[1]);
                    return;
                }
                expected++;
            }
        }, "hand-off-consumer");
        consumer.start();
        for (long i = 0; i < count; i++) {
            long[] e = {i, ~i};
            while (!ring.offer(e)) {
                Thread.onSpinWait();
            }
        }
        consumer.join(30_000);
        assertFalse(consumer.isAlive(), "consumer still running after 30 s");
        assertNull(failure.get());
        assertNull(ring.poll());
    }
}
