package io.mlvpn.core.device;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded single-producer single-consumer queue of packets, copied into preallocated slots:
 * nothing is allocated and no lock is taken per packet.
 *
 * <p>Algorithm: the producer fills slot {@code producerIndex % capacity} and then publishes it by
 * advancing {@code producerIndex}; the consumer reads slot {@code consumerIndex % capacity} and
 * then frees it by advancing {@code consumerIndex}. The ring is full when the indexes are
 * {@code capacity} apart. A waiting consumer publishes itself in {@code waitingConsumer} and then
 * re-checks the ring; the producer publishes the packet and then reads {@code waitingConsumer}.
 * Both pairs are volatile, so at least one side sees the other and no wake-up is lost.
 *
 * <p>Threading: one producer thread ({@code offer}), one consumer thread ({@code peekLength},
 * {@code take}, {@code awaitPacketOrClose}); {@link #close()} from any thread. The indexes are not
 * padded against false sharing: this ring serves an in-memory device for tests and demos.
 */
final class PacketSlotRing {
    private final byte[][] slots;
    private final int[] lengths;
    private final int capacity;
    private final int slotBytes;

    /** Next slot to fill; written by the producer only. */
    private volatile long producerIndex;
    /** Next slot to read; written by the consumer only. */
    private volatile long consumerIndex;
    /** The consumer while it is parked in {@link #awaitPacketOrClose}, else {@code null}. */
    private volatile Thread waitingConsumer;
    private volatile boolean closed;

    /**
     * @param capacity  packets the ring holds; at least 1
     * @param slotBytes largest packet, in bytes
     */
    PacketSlotRing(int capacity, int slotBytes) {
        this.capacity = capacity;
        this.slotBytes = slotBytes;
        this.slots = new byte[capacity][slotBytes];
        this.lengths = new int[capacity];
    }

    /** Largest packet a slot holds. */
    int slotBytes() {
        return slotBytes;
    }

    /** Packets offered successfully since creation. */
    long offered() {
        return producerIndex;
    }

    /** Producer: copies a packet into the next slot; {@code false} when the ring is full. */
    boolean offer(byte[] src, int offset, int length) {
        long p = producerIndex;
        if (p - consumerIndex >= capacity) {
            return false;
        }
        int slot = (int) (p % capacity);
        System.arraycopy(src, offset, slots[slot], 0, length);
        lengths[slot] = length;
        publish(p + 1);
        return true;
    }

    /** Producer: copies {@code src[index, index + length)} into the next slot; {@code false} when full. */
    boolean offer(ByteBuffer src, int index, int length) {
        long p = producerIndex;
        if (p - consumerIndex >= capacity) {
            return false;
        }
        int slot = (int) (p % capacity);
        src.get(index, slots[slot], 0, length);
        lengths[slot] = length;
        publish(p + 1);
        return true;
    }

    private void publish(long nextProducerIndex) {
        producerIndex = nextProducerIndex;
        Thread waiter = waitingConsumer;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Consumer: whether no packet is queued. */
    boolean isEmpty() {
        return consumerIndex == producerIndex;
    }

    /** Consumer: length of the next packet, or -1 when none is queued. */
    int peekLength() {
        long c = consumerIndex;
        if (c == producerIndex) {
            return -1;
        }
        return lengths[(int) (c % capacity)];
    }

    /**
     * Consumer: removes the next packet, copying at most {@code space} bytes of it to
     * {@code dst[index, ...)}.
     *
     * @return the packet's full length (more than {@code space} when it was truncated), or -1
     *     when none is queued
     */
    int take(ByteBuffer dst, int index, int space) {
        long c = consumerIndex;
        if (c == producerIndex) {
            return -1;
        }
        int slot = (int) (c % capacity);
        int length = lengths[slot];
        dst.put(index, slots[slot], 0, Math.min(length, space));
        consumerIndex = c + 1;
        return length;
    }

    /**
     * Consumer: removes the next packet into {@code dst[0, length)}; the caller has checked with
     * {@link #peekLength()} that it fits.
     *
     * @return the packet's length, or -1 when none is queued
     */
    int take(byte[] dst) {
        long c = consumerIndex;
        if (c == producerIndex) {
            return -1;
        }
        int slot = (int) (c % capacity);
        int length = lengths[slot];
        System.arraycopy(slots[slot], 0, dst, 0, length);
        consumerIndex = c + 1;
        return length;
    }

    /**
     * Consumer: parks until a packet is queued, the ring is closed or the timeout passes.
     * Returns at once when a packet is already queued or the ring is closed; the caller re-checks.
     *
     * @param timeoutNanos most time to wait; negative waits without limit
     * @throws InterruptedException when the thread is interrupted (the flag is cleared)
     */
    void awaitPacketOrClose(long timeoutNanos) throws InterruptedException {
        if (!isEmpty() || closed) {
            return;
        }
        long deadline = timeoutNanos >= 0 ? System.nanoTime() + timeoutNanos : 0L;
        waitingConsumer = Thread.currentThread();
        try {
            while (isEmpty() && !closed) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (timeoutNanos < 0) {
                    LockSupport.park(this);
                } else {
                    long leftNanos = deadline - System.nanoTime();
                    if (leftNanos <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(this, leftNanos);
                }
            }
        } finally {
            waitingConsumer = null;
        }
    }

    /** Any thread: wakes the consumer and makes every later wait return at once. Idempotent. */
    void close() {
        closed = true;
        Thread waiter = waitingConsumer;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }
}
