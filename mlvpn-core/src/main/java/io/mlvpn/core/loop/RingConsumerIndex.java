package io.mlvpn.core.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The consumer index: the count of elements ever taken by consumers. */
abstract class RingConsumerIndex extends RingPad2 {
    private static final VarHandle CONSUMER_INDEX;

    static {
        try {
            CONSUMER_INDEX = MethodHandles.lookup().findVarHandle(RingConsumerIndex.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long consumerIndex;

    RingConsumerIndex(int requestedCapacity) {
        super(requestedCapacity);
    }

    final long lvConsumerIndex() {
        return consumerIndex;
    }

    final long lpConsumerIndex() {
        return (long) CONSUMER_INDEX.get(this);
    }

    final void soConsumerIndex(long value) {
        CONSUMER_INDEX.setRelease(this, value);
    }

    final boolean casConsumerIndex(long expected, long value) {
        return CONSUMER_INDEX.compareAndSet(this, expected, value);
    }
}
