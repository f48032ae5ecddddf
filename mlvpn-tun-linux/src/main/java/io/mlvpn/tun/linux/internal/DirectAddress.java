package io.mlvpn.tun.linux.internal;

import java.nio.ByteBuffer;

/**
 * The native address of a direct buffer, found without allocating: JNA passes a direct buffer
 * argument as its address at the current position, and {@code memset(p, 0, 0)} returns {@code p}.
 * The caller keeps the buffer reachable ({@link java.lang.ref.Reference#reachabilityFence}) for as
 * long as it uses the address.
 */
public final class DirectAddress {
    private DirectAddress() {
    }

    /** Address of index {@code index} of {@code buffer}. */
    public static long of(ByteBuffer buffer, int index) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return LibC.memset(buffer, 0, 0) - buffer.position() + index;
    }
}
