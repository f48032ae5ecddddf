package io.mlvpn.core.loop;

/** Keeps the consumer index off the cache lines of whatever follows the ring in memory. */
abstract class RingPad3 extends RingConsumerIndex {
    long c00;
    long c01;
    long c02;
    long c03;
    long c04;
    long c05;
    long c06;
    long c07;
    long c08;
    long c09;
    long c10;
    long c11;
    long c12;
    long c13;
    long c14;
    long c15;

    RingPad3(int requestedCapacity) {
        super(requestedCapacity);
    }

    /** Capacity in elements, a power of two. */
    final int slotCount() {
        return mask + 1;
    }

    /**
     * Elements in the ring: reads the consumer index on both sides of the producer index so that
     * the difference is one that existed at some instant.
     */
    final int approximateSize() {
        long after = lvConsumerIndex();
        while (true) {
            long before = after;
            long producer = lvProducerIndex();
            after = lvConsumerIndex();
            if (before == after) {
                long size = producer - after;
                return size <= 0 ? 0 : (int) Math.min(size, mask + 1L);
            }
        }
    }
}
