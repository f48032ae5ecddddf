package io.mlvpn.testkit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReleaseHeapTest {

    private static HeldDatagram datagram(long releaseNanos, long sequence) {
        HeldDatagram d = new HeldDatagram(16);
        d.releaseNanos = releaseNanos;
        d.sequence = sequence;
        return d;
    }

    @Test
    void pollsInReleaseOrder() {
        ReleaseHeap heap = new ReleaseHeap(1000);
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            heap.add(datagram(r.nextInt(500), i));
        }
        assertEquals(1000, heap.size());
        HeldDatagram previous = heap.poll();
        for (int i = 1; i < 1000; i++) {
            HeldDatagram d = heap.poll();
            assertTrue(d.releaseNanos > previous.releaseNanos
                    || (d.releaseNanos == previous.releaseNanos && d.sequence > previous.sequence),
                    "out of order at " + i);
            previous = d;
        }
        assertTrue(heap.isEmpty());
        assertNull(heap.poll());
        assertNull(heap.peek());
    }

    @Test
    void equalTimesLeaveInArrivalOrder() {
        ReleaseHeap heap = new ReleaseHeap(8);
        for (int i = 7; i >= 0; i--) {
            heap.add(datagram(5, i));
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(i, heap.poll().sequence);
        }
    }

    @Test
    void ordersAcrossTheNanoTimeWrap() {
        ReleaseHeap heap = new ReleaseHeap(4);
        HeldDatagram late = datagram(Long.MIN_VALUE + 10, 1);
        HeldDatagram early = datagram(Long.MAX_VALUE - 10, 0);
        heap.add(late);
        heap.add(early);
        assertSame(early, heap.peek());
        assertSame(early, heap.poll());
        assertSame(late, heap.poll());
    }

    @Test
    void refusesMoreThanItsCapacity() {
        ReleaseHeap heap = new ReleaseHeap(1);
        heap.add(datagram(1, 0));
        assertThrows(IllegalStateException.class, () -> heap.add(datagram(2, 1)));
    }
}
