package io.mlvpn.core.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The producer index: the count of elements ever claimed by producers. */
abstract class RingProducerIndex extends RingPad1 {
    private static final VarHandle PRODUCER_INDEX;

    static {
        try {
            PRODUCER_INDEX = MethodHandles.lookup().findVarHandle(RingProducerIndex.class, "producerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long producerIndex;

    RingProducerIndex(int requestedCapacity) {
        super(requestedCapacity);
    }

    final long lvProducerIndex() {
        return producerIndex;
    }

    final long lpProducerIndex() {
        return (long) PRODUCER_INDEX.get(this);
    }

    final void soProducerIndex(long value) {
        PRODUCER_INDEX.setRelease(this, value);
    }

    final boolean casProducerIndex(long expected, long value) {
        return PRODUCER_INDEX.compareAndSet(this, expected, value);
    }
}
