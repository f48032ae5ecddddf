package io.mlvpn.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Single-thread semantics every ring must have; one tiny subclass per ring. */
abstract class RingContractTest {

    abstract TestRing newRing(int requestedCapacity);

    /** The capacity a ring requested with capacity 1 has. */
    int smallestCapacity() {
        return 1;
    }

    @Test
    void capacityIsRoundedUpToAPowerOfTwo() {
        assertEquals(smallestCapacity(), newRing(1).capacity());
        assertEquals(2, newRing(2).capacity());
        assertEquals(4, newRing(3).capacity());
        assertEquals(1024, newRing(1000).capacity());
        assertEquals(1024, newRing(1024).capacity());
    }

    @Test
    void rejectsCapacityOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> newRing(0));
        assertThrows(IllegalArgumentException.class, () -> newRing(-1));
        assertThrows(IllegalArgumentException.class, () -> newRing((1 << 30) + 1));
    }

    @Test
    void rejectsNull() {
        TestRing ring = newRing(4);
        assertThrows(NullPointerException.class, () -> ring.offer(null));
        assertEquals(0, ring.size());
    }

    @Test
    void emptyRingPollsNull() {
        TestRing ring = newRing(8);
        assertNull(ring.poll());
        assertEquals(0, ring.size());
    }

    @Test
    void fullRingRefusesWithoutLosingElements() {
        TestRing ring = newRing(5);
        for (long i = 0; i < 8; i++) {
            assertTrue(ring.offer(i), "offer " + i);
        }
        assertEquals(8, ring.size());
        assertFalse(ring.offer(99L));
        assertFalse(ring.offer(99L));
        assertEquals(8, ring.size());
        for (long i = 0; i < 8; i++) {
            assertEquals(i, ring.poll());
        }
        assertNull(ring.poll());
        assertTrue(ring.offer(8L));
        assertEquals(8L, ring.poll());
    }

    @Test
    void smallestRingHoldsExactlyItsCapacity() {
        TestRing ring = newRing(1);
        for (int round = 0; round < 3; round++) {
            for (long i = 0; i < smallestCapacity(); i++) {
                assertTrue(ring.offer(i));
            }
            assertFalse(ring.offer(-1L));
            for (long i = 0; i < smallestCapacity(); i++) {
                assertEquals(i, ring.poll());
            }
            assertNull(ring.poll());
        }
    }

    @Test
    void wrapsAroundManyTimesInOrder() {
        TestRing ring = newRing(4);
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 10_000; round++) {
            int batch = 1 + round % 4;
            for (int i = 0; i < batch; i++) {
                assertTrue(ring.offer(next++));
            }
            assertEquals(batch, ring.size());
            for (int i = 0; i < batch; i++) {
                assertEquals(expected++, ring.poll());
            }
            assertNull(ring.poll());
        }
        assertEquals(next, expected);
    }
}
