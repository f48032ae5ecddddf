package io.mlvpn.tun.bsd.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Closes a device's descriptors exactly once, and never while a call is using them: each call
 * {@link #enter()}s and {@link #exit()}s, {@link #markClosed()} stops new calls, and the release
 * runs when the last call leaves (or at once when none is inside). So a descriptor number is never
 * reused under a reader still polling it. Safe for concurrent use; lock-free.
 */
public final class FdGuard {
    private static final int CLOSED_BIT = 1;
    private static final int USER = 2;

    private final AtomicInteger state = new AtomicInteger();
    private final IntSupplier release;
    private volatile int releaseErrno = -1;

    /**
     * A guard that runs {@code release} once.
     *
     * @param release closes the descriptors; returns 0 or the errno of the first failing close
     */
    public FdGuard(IntSupplier release) {
        this.release = release;
    }

    /** Starts a call; false when closed (the call must not touch the descriptors). */
    public boolean enter() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED_BIT) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + USER)) {
                return true;
            }
        }
    }

    /** Ends a call started by a successful {@link #enter()}. */
    public void exit() {
        if (state.addAndGet(-USER) == CLOSED_BIT) {
            releaseErrno = release.getAsInt();
        }
    }

    /**
     * Marks the guard closed; call it between {@link #enter()} and {@link #exit()} so the release
     * waits for that {@code exit}.
     *
     * @return true for the call that closed it, false when it already was
     */
    public boolean markClosed() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED_BIT) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s | CLOSED_BIT)) {
                return true;
            }
        }
    }

    /** True once {@link #markClosed()} has run. */
    public boolean isClosed() {
        return (state.get() & CLOSED_BIT) != 0;
    }

    /** True once the descriptors were released. */
    public boolean isReleased() {
        return releaseErrno >= 0;
    }

    /** The errno the release reported (0 for success), or -1 before the release. */
    public int releaseErrno() {
        return releaseErrno;
    }
}
