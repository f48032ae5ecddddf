package io.mlvpn.core.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded multi-producer multi-consumer ring, for example the free list of a buffer pool.
 *
 * <p><b>Threading.</b> Safe for concurrent use by any number of producers and consumers. No
 * locks, no allocation per operation.
 *
 * <p>Algorithm (Dmitry Vyukov's bounded MPMC queue): each slot carries a sequence number. A slot
 * at index {@code i} is free for the producer claiming index {@code i} when its sequence equals
 * {@code i}, and full for the consumer claiming index {@code i} when it equals {@code i + 1}; both
 * sides claim their index by CAS and hand the slot over by a release store of the next sequence
 * ({@code i + 1} after writing, {@code i + capacity} after reading). A slot still being read or
 * written by a thread that claimed it makes {@link #offer} report full or {@link #poll} report
 * empty for that moment; both stay bounded and non-blocking. The algorithm needs two slots at
 * least, so a requested capacity of 1 gives 2.
 *
 * @param <E> element type
 */
public final class MpmcRing<E> extends RingPad3 {
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] sequences;

    /**
     * Creates an empty ring.
     *
     * @param requestedCapacity at least 1 and at most 2^30; rounded up to a power of two, and to 2
     */
    public MpmcRing(int requestedCapacity) {
        // With one slot, the sequence a producer leaves (i + 1) would invite the next producer too.
        super(requestedCapacity == 1 ? 2 : requestedCapacity);
        long[] s = new long[slotCount()];
        for (int i = 0; i < s.length; i++) {
            s[i] = i;
        }
        this.sequences = s;
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
        long index = lvProducerIndex();
        while (true) {
            int slot = slotOf(index);
            long difference = (long) SEQUENCE.getAcquire(sequences, slot) - index;
            if (difference == 0) {
                if (casProducerIndex(index, index + 1)) {
                    spSlot(slot, e);
                    SEQUENCE.setRelease(sequences, slot, index + 1);
                    return true;
                }
                index = lvProducerIndex();
            } else if (difference < 0) {
                return false;
            } else {
                index = lvProducerIndex();
            }
        }
    }

    /**
     * Takes the oldest available element; any thread.
     *
     * @return the element, or {@code null} when the ring is empty
     */
    @SuppressWarnings("unchecked")
    public E poll() {
        long index = lvConsumerIndex();
        while (true) {
            int slot = slotOf(index);
            long difference = (long) SEQUENCE.getAcquire(sequences, slot) - (index + 1);
            if (difference == 0) {
                if (casConsumerIndex(index, index + 1)) {
                    Object e = lpSlot(slot);
                    spSlot(slot, null);
                    SEQUENCE.setRelease(sequences, slot, index + slotCount());
                    return (E) e;
                }
                index = lvConsumerIndex();
            } else if (difference < 0) {
                return null;
            } else {
                index = lvConsumerIndex();
            }
        }
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
