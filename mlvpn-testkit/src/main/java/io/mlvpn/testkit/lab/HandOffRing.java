package io.mlvpn.testkit.lab;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded single-producer single-consumer ring: the hand-off between a {@link RelayPath}'s
 * receive thread and its release thread, in both directions.
 *
 * <p>The algorithm of core's {@code io.mlvpn.core.loop.SpscRing} (JCTools {@code SpscArrayQueue}
 * without look-ahead): a slot is free when it holds {@code null}; the producer stores the element
 * with release semantics, the consumer loads it with acquire semantics and frees the slot with a
 * release store of {@code null}, so what the producer wrote into the element before
 * {@link #offer} is visible to the consumer after {@link #poll}. It is a copy, without the cache-line
 * padding around the indexes, because the testkit does not depend on core (core's tests depend on
 * the testkit, and Maven allows no cycle); the relay moves at most a few hundred thousand datagrams
 * a second, each costing a system call, so false sharing between two indexes does not show.
 *
 * <p><b>Threading.</b> At most one thread calls {@link #offer} and at most one calls {@link #poll}
 * at any time. No locks, no allocation per operation.
 *
 * @param <E> element type
 */
final class HandOffRing<E> {
    /** The largest capacity a ring accepts, so that the rounded capacity stays a positive int. */
    static final int MAX_CAPACITY = 1 << 30;

    private final AtomicReferenceArray<E> slots;
    private final int mask;
    /** Producer thread only. */
    private long producerIndex;
    /** Consumer thread only. */
    private long consumerIndex;

    /**
     * Creates an empty ring.
     *
     * @param requestedCapacity at least 1 and at most 2^30; rounded up to a power of two
     */
    HandOffRing(int requestedCapacity) {
        if (requestedCapacity < 1 || requestedCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity not in [1, " + MAX_CAPACITY + "]: " + requestedCapacity);
        }
        int capacity = requestedCapacity == 1 ? 1 : Integer.highestOneBit(requestedCapacity - 1) << 1;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    /**
     * Adds an element; the producer thread only. Never blocks.
     *
     * @return false when the ring is full
     */
    boolean offer(E e) {
        if (e == null) {
            throw new NullPointerException("element");
        }
        int slot = (int) producerIndex & mask;
        if (slots.getAcquire(slot) != null) {
            return false;
        }
        slots.setRelease(slot, e);
        producerIndex++;
        return true;
    }

    /**
     * Takes the oldest element; the consumer thread only.
     *
     * @return the element, or {@code null} when the ring is empty
     */
    E poll() {
        int slot = (int) consumerIndex & mask;
        E e = slots.getAcquire(slot);
        if (e == null) {
            return null;
        }
        slots.setRelease(slot, null);
        consumerIndex++;
        return e;
    }

    /** The number of elements the ring holds when full, a power of two. */
    int capacity() {
        return mask + 1;
    }
}
