package io.mlvpn.api.packet;

/**
 * An ordered group of {@link PacketBuffer}s moved by one SPI call, so that an implementation can
 * use one system call for many packets ({@code recvmmsg}, {@code sendmmsg}, GSO).
 *
 * <p>For a read or receive, the caller fills the batch with empty buffers (their offset set to the
 * headroom it wants); the callee fills the first {@code n} and returns {@code n}. For a write or
 * send, the callee consumes buffers {@code 0 .. size()-1}. The batch and its buffers belong to the
 * caller before and after the call. Not safe for concurrent use; allocated once and reused.
 */
public final class PacketBatch {
    private final PacketBuffer[] buffers;
    private int size;

    /**
     * Creates an empty batch.
     *
     * @param capacity most buffers it may hold; at least 1
     */
    public PacketBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity < 1: " + capacity);
        }
        this.buffers = new PacketBuffer[capacity];
    }

    /** Most buffers the batch may hold. */
    public int capacity() {
        return buffers.length;
    }

    /** Buffers now in the batch. */
    public int size() {
        return size;
    }

    /** True when no buffer is in the batch. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** True when the batch holds {@link #capacity()} buffers. */
    public boolean isFull() {
        return size == buffers.length;
    }

    /** Buffer {@code i}, {@code 0 <= i < size()}. */
    public PacketBuffer get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        }
        return buffers[i];
    }

    /**
     * Appends a buffer.
     *
     * @throws IllegalStateException when the batch is full
     */
    public void add(PacketBuffer buffer) {
        if (size == buffers.length) {
            throw new IllegalStateException("batch full: " + size);
        }
        buffers[size++] = buffer;
    }

    /** Removes and returns the last buffer, or {@code null} when empty. */
    public PacketBuffer removeLast() {
        if (size == 0) {
            return null;
        }
        PacketBuffer b = buffers[--size];
        buffers[size] = null;
        return b;
    }

    /** Forgets every buffer (it does not return them to any pool). */
    public void clear() {
        for (int i = 0; i < size; i++) {
            buffers[i] = null;
        }
        size = 0;
    }
}
