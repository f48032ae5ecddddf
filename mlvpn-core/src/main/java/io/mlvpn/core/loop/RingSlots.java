package io.mlvpn.core.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bottom of every ring's field layout: the slot array and its mask, read-only after
 * construction. The padded index classes above it follow the JCTools {@code jdk11} layout: each
 * hot index sits in its own class between two 128-byte pads, because the JVM keeps a superclass's
 * fields before a subclass's but may reorder fields inside one class.
 */
abstract class RingSlots {
    /** The largest capacity a ring accepts, so that {@code capacity} stays a positive int. */
    static final int MAX_CAPACITY = 1 << 30;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    final Object[] slots;
    final int mask;

    RingSlots(int requestedCapacity) {
        if (requestedCapacity < 1 || requestedCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity not in [1, " + MAX_CAPACITY + "]: " + requestedCapacity);
        }
        int capacity = requestedCapacity == 1 ? 1 : Integer.highestOneBit(requestedCapacity - 1) << 1;
        this.slots = new Object[capacity];
        this.mask = capacity - 1;
    }

    final int slotOf(long index) {
        return (int) index & mask;
    }

    final Object lvSlot(int slot) {
        return SLOT.getAcquire(slots, slot);
    }

    final Object lpSlot(int slot) {
        return slots[slot];
    }

    final void soSlot(int slot, Object value) {
        SLOT.setRelease(slots, slot, value);
    }

    final void spSlot(int slot, Object value) {
        slots[slot] = value;
    }
}
