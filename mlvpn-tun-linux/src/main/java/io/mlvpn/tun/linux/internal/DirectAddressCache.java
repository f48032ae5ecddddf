package io.mlvpn.tun.linux.internal;

import java.nio.ByteBuffer;

/**
 * Remembers the native address of the direct buffers one thread passes to system calls, because
 * asking JNA for it ({@link DirectAddress}) costs a native call with a buffer argument, which
 * measured 300-600 ns here: more than a datagram's whole send path when done for every buffer.
 * Pooled buffers recur, so after warm-up every lookup is an identity-hash probe.
 *
 * <p>A small open-addressing table keyed by identity; a full probe run overwrites its first
 * entry. It holds a strong reference to each buffer it remembers, which is what keeps a remembered
 * address valid (the memory cannot be freed while the buffer is reachable); the buffers are never
 * read or written outside a call that was given them. At most {@value #SIZE} buffers are held.
 * One thread only; allocates nothing.
 */
public final class DirectAddressCache {
    public static final int SIZE = 1024;
    private static final int PROBES = 4;

    private final ByteBuffer[] buffers = new ByteBuffer[SIZE];
    private final long[] addresses = new long[SIZE];

    /** Native address of index {@code index} of the direct buffer {@code buffer}. */
    public long addressOf(ByteBuffer buffer, int index) {
        int home = System.identityHashCode(buffer) & (SIZE - 1);
        int slot = home;
        for (int probe = 0; probe < PROBES; probe++) {
            int i = (home + probe) & (SIZE - 1);
            ByteBuffer known = buffers[i];
            if (known == buffer) {
                return addresses[i] + index;
            }
            if (known == null) {
                slot = i;
                break;
            }
        }
        long base = DirectAddress.of(buffer, 0);
        buffers[slot] = buffer;
        addresses[slot] = base;
        return base + index;
    }
}
