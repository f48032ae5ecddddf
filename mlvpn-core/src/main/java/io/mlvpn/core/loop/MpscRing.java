package io.mlvpn.core.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded multi-producer single-consumer ring: several threads hand elements to one owner.
 *
 * <p><b>Threading.</b> Any number of threads may call {@link #offer} concurrently; at most one
 * thread calls {@link #poll} at any time; {@link #size} and {@link #capacity} are safe from any
 * thread. No locks, no allocation per operation.
 *
 * <p>Algorithm (JCTools {@code MpscArrayQueue}): a producer claims an index by CAS on the producer
 * index, checked against a cached limit (consumer index plus capacity) that it refreshes only when
 * reached, then publishes the element into the claimed slot with a release store. Between the
 * claim and the store the slot still reads {@code null}; {@link #poll} then spins briefly until
 * the element appears, so it returns {@code null} only when the ring is really empty.
 *
 * @param <E> element type
 */
public final class MpscRing<E> extends RingPad3 {
    private static final VarHandle PRODUCER_LIMIT;

    static {
        try {
            PRODUCER_LIMIT = MethodHandles.lookup().findVarHandle(MpscRing.class, "producerLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** First producer index that may not be claimed without re-reading the consumer index. */
    private volatile long producerLimit;

    /**
     * Creates an empty ring.
     *
     * @param requestedCapacity at least 1 and at most 2^30; rounded up to a power of two
     */
    public MpscRing(int requestedCapacity) {
        super(requestedCapacity);
        PRODUCER_LIMIT.setRelease(this, (long) slotCount());
    }

    /**
     * Adds an element; any thread. Never blocks (it may retry a lost CAS).
     *
     * @return false when the ring is full (the caller counts a drop)
     */
    public boolean offer(E e) {
        if (e == null) {
            throw new NullPointerException("element");
        }
        long limit = producerLimit;
        long index;
        do {
            index = lvProducerIndex();
            if (index >= limit) {
                limit = lvConsumerIndex() + slotCount();
                if (index >= limit) {
                    return false;
                }
                // A racing producer may store an older limit; that only costs it a re-read later.
                PRODUCER_LIMIT.setRelease(this, limit);
            }
        } while (!casProducerIndex(index, index + 1));
        soSlot(slotOf(index), e);
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
            if (index == lvProducerIndex()) {
                return null;
            }
            // Claimed but not yet published: the producer is between its CAS and its store.
            do {
                Thread.onSpinWait();
                e = lvSlot(slot);
            } while (e == null);
        }
        spSlot(slot, null);
        soConsumerIndex(index + 1);
        return (E) e;
    }

    /** Elements in the ring, claimed slots included; exact only while no thread is active. */
    public int size() {
        return approximateSize();
    }

    /** The number of elements the ring holds when full, a power of two. */
    public int capacity() {
        return slotCount();
    }
}
