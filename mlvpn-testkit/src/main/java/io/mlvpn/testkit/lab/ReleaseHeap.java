package io.mlvpn.testkit.lab;

/**
 * A fixed-capacity binary min-heap of held datagrams ordered by release time, then arrival order.
 * Times are compared by difference, so the wrap of {@code System.nanoTime} does no harm.
 * Owned by one thread; allocates nothing after construction.
 */
final class ReleaseHeap {
    private final HeldDatagram[] heap;
    private int size;

    ReleaseHeap(int capacity) {
        this.heap = new HeldDatagram[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds a datagram; the caller never holds more datagrams than the capacity. */
    void add(HeldDatagram d) {
        if (size == heap.length) {
            throw new IllegalStateException("release heap full: " + size);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!earlier(d, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = d;
    }

    /** The earliest datagram, or null when empty. */
    HeldDatagram peek() {
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the earliest datagram, or null when empty. */
    HeldDatagram poll() {
        if (size == 0) {
            return null;
        }
        HeldDatagram top = heap[0];
        HeldDatagram last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && earlier(heap[right], heap[child])) {
                    child = right;
                }
                if (!earlier(heap[child], last)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
        }
        return top;
    }

    private static boolean earlier(HeldDatagram a, HeldDatagram b) {
        long d = a.releaseNanos - b.releaseNanos;
        return d < 0 || (d == 0 && a.sequence - b.sequence < 0);
    }
}
