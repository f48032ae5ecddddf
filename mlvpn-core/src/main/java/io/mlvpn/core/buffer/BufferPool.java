package io.mlvpn.core.buffer;

import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.loop.MpmcRing;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A capped pool of {@link PacketBuffer}s of one capacity, each carrying its {@link PacketMeta}.
 *
 * <p><b>Threading.</b> Safe for concurrent use: any thread may {@link #acquire} and any thread may
 * {@link #release}; neither locks nor, once the pool is warm, allocates.
 *
 * <p>Ownership: a buffer belongs to the caller from {@code acquire} until it passes the buffer to
 * {@code release}, after which the caller keeps no reference. A release without a matching acquire
 * is detected by count (more releases than acquisitions), not by identity: releasing one buffer
 * twice while another is outstanding goes unnoticed until {@link #checkNoLeaks} or a later release.
 */
public final class BufferPool {
    private final int bufferCapacity;
    private final int maxBuffers;
    private final MpmcRing<PacketBuffer> free;
    private final AtomicInteger allocated = new AtomicInteger();
    private final AtomicInteger outstanding = new AtomicInteger();

    /**
     * Creates an empty pool; buffers are allocated on demand up to {@code maxBuffers}.
     *
     * @param bufferCapacity bytes per buffer, at least 64 (see {@link PacketBuffer#PacketBuffer(int)})
     * @param maxBuffers the most buffers that ever exist at once, at least 1 and at most 2^30
     */
    public BufferPool(int bufferCapacity, int maxBuffers) {
        if (bufferCapacity < 64) {
            throw new IllegalArgumentException("bufferCapacity < 64: " + bufferCapacity);
        }
        if (maxBuffers < 1 || maxBuffers > 1 << 30) {
            throw new IllegalArgumentException("maxBuffers not in [1, 2^30]: " + maxBuffers);
        }
        this.bufferCapacity = bufferCapacity;
        this.maxBuffers = maxBuffers;
        this.free = new MpmcRing<>(maxBuffers);
    }

    /**
     * Takes a buffer, cleared ({@link PacketBuffer#clear()}) and with its {@link PacketMeta}
     * unmarked; any thread.
     *
     * @return the buffer, or {@code null} when {@code maxBuffers} are out (the caller counts a drop)
     */
    public PacketBuffer acquire() {
        PacketBuffer buffer = free.poll();
        if (buffer == null) {
            buffer = allocateIfUnderCap();
            if (buffer == null) {
                return null;
            }
        }
        outstanding.incrementAndGet();
        // Every buffer this pool made has its metadata; a foreign one released here has none.
        if (buffer.attachment() instanceof PacketMeta meta) {
            meta.clear();
        }
        return buffer.clear();
    }

    private PacketBuffer allocateIfUnderCap() {
        while (true) {
            int count = allocated.get();
            if (count >= maxBuffers) {
                return null;
            }
            if (allocated.compareAndSet(count, count + 1)) {
                return new PacketBuffer(bufferCapacity).attachment(new PacketMeta());
            }
        }
    }

    /**
     * Returns a buffer to the pool; any thread. The caller must not use it afterwards.
     *
     * @throws IllegalStateException when the buffer's capacity is not this pool's, or when more
     *     buffers are released than were acquired
     */
    public void release(PacketBuffer buffer) {
        if (buffer.capacity() != bufferCapacity) {
            throw new IllegalStateException("buffer capacity " + buffer.capacity() + " released to a pool of " + bufferCapacity);
        }
        while (true) {
            int count = outstanding.get();
            if (count <= 0) {
                throw new IllegalStateException("release without acquire: no buffer is outstanding");
            }
            if (outstanding.compareAndSet(count, count - 1)) {
                break;
            }
        }
        if (!free.offer(buffer)) {
            // Unreachable while the ring holds maxBuffers; if it happens, forget the buffer
            // rather than fail the caller, and let the pool allocate a replacement.
            allocated.decrementAndGet();
        }
    }

    /** Buffers acquired and not yet released; any thread. */
    public int outstanding() {
        return outstanding.get();
    }

    /** Buffers allocated so far (outstanding or free), at most {@link #maxBuffers()}; any thread. */
    public int allocated() {
        return allocated.get();
    }

    /** Bytes per buffer. */
    public int bufferCapacity() {
        return bufferCapacity;
    }

    /** The most buffers that exist at once. */
    public int maxBuffers() {
        return maxBuffers;
    }

    /**
     * Checks that every acquired buffer was released, for tests and orderly shutdown.
     *
     * @throws IllegalStateException naming the number of outstanding buffers
     */
    public void checkNoLeaks() {
        int count = outstanding.get();
        if (count != 0) {
            throw new IllegalStateException(count + " buffers outstanding (leaked) in pool of " + bufferCapacity + "-byte buffers");
        }
    }

    @Override
    public String toString() {
        return "BufferPool[bufferCapacity=" + bufferCapacity + ", maxBuffers=" + maxBuffers
                + ", allocated=" + allocated.get() + ", outstanding=" + outstanding.get() + "]";
    }
}
