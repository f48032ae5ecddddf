package io.mlvpn.core.loop;

/**
 * A bounded single-producer single-consumer ring, the hand-off between two engine threads.
 *
 * <p><b>Threading.</b> At most one thread calls {@link #offer} and at most one thread calls
 * {@link #poll} at any time (they may be different threads); {@link #size} and
 * {@link #capacity} are safe from any thread. No locks, no allocation per operation.
 *
 * <p>Algorithm (JCTools {@code SpscArrayQueue} without look-ahead): a slot is free when it holds
 * {@code null}. The producer writes the element with release semantics, the consumer reads it with
 * acquire semantics and frees the slot with a release store of {@code null}, so the element's
 * contents written before {@code offer} are visible after {@code poll}. The indexes serve
 * {@link #size} only.
 *
 * @param <E> element type
 */
public final class SpscRing<E> extends RingPad3 {

    /**
     * Creates an empty ring.
     *
     * @param requestedCapacity at least 1 and at most 2^30; rounded up to a power of two
     */
    public SpscRing(int requestedCapacity) {
        super(requestedCapacity);
    }

    /**
     * Adds an element; the producer thread only. Never blocks.
     *
     * @return false when the ring is full (the caller counts a drop)
     */
    public boolean offer(E e) {
        if (e == null) {
            throw new NullPointerException("element");
        }
        long index = lpProducerIndex();
        int slot = slotOf(index);
        if (lvSlot(slot) != null) {
            return false;
        }
        soSlot(slot, e);
        soProducerIndex(index + 1);
        return true;
    }

    /**
     * Takes the oldest element; the consumer thread only.
     *
     * @return the element, or {@code null} when the ring is empty
     */
    @SuppressWarnings("unchecked")
    public E poll() {
        long index = lpConsumerIndex();
        int slot = slotOf(index);
        Object e = lvSlot(slot);
        if (e == null) {
            return null;
        }
        soSlot(slot, null);
        soConsumerIndex(index + 1);
        return (E) e;
    }

    /** Elements in the ring; exact only while neither side is active. Any thread. */
    public int size() {
        return approximateSize();
    }

    /** The number of elements the ring holds when full, a power of two. */
    public int capacity() {
        return slotCount();
    }
}
