package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * Native base addresses of direct buffers, remembered in a small direct-mapped table keyed by
 * identity, so the per-packet path finds a pooled buffer's address without allocating (JNA's
 * {@link Native#getDirectBufferPointer} makes a {@link Pointer} per call). A miss costs one such
 * call. The table holds its buffers strongly, which suits pooled buffers that live as long as the
 * device. One thread only (the device reader or the device writer, each has its own).
 */
public final class DirectAddressCache {
    private final ByteBuffer[] buffers;
    private final long[] addresses;
    private final int mask;

    /**
     * A cache of {@code slots} entries.
     *
     * @param slots a power of two, at least 1
     */
    public DirectAddressCache(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots not a power of two: " + slots);
        }
        buffers = new ByteBuffer[slots];
        addresses = new long[slots];
        mask = slots - 1;
    }

    /**
     * The address of byte 0 of a direct buffer.
     *
     * @throws IllegalArgumentException for a heap buffer
     */
    public long addressOf(ByteBuffer buffer) {
        int slot = System.identityHashCode(buffer) & mask;
        if (buffers[slot] == buffer) {
            return addresses[slot];
        }
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        buffers[slot] = buffer;
        addresses[slot] = address;
        return address;
    }
}
