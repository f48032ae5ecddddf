package io.mlvpn.tun.linux.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns a file descriptor and its eventfd wake-up descriptor, and closes both exactly once, never
 * while another thread is inside a system call on them (which could then touch a reused fd number).
 *
 * <p>Every call on the fd runs between {@link #enter()} and {@link #exit()}. {@link #close()}
 * marks the pair closed (a CAS, so only the first close acts), signals the eventfd so that a thread
 * blocked in {@code poll} returns, and the last thread to leave releases both descriptors. The state
 * is one int: bit 0 "closed", the rest a count of threads inside. Safe for concurrent use; no lock.
 */
public final class FdGuard {
    private static final int CLOSED = 1;
    private static final int ONE_USER = 2;

    private final AtomicInteger state = new AtomicInteger();
    private final int fd;
    private final int wakeFd;
    private final String what;

    public FdGuard(int fd, int wakeFd, String what) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.what = what;
    }

    public int fd() {
        return fd;
    }

    public int wakeFd() {
        return wakeFd;
    }

    /** Registers a caller about to use the fd; false (and nothing to undo) once closed. */
    public boolean enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + ONE_USER)) {
                return true;
            }
        }
    }

    /** Unregisters a caller; the last one out after a close releases the descriptors. */
    public void exit() {
        if (state.addAndGet(-ONE_USER) == CLOSED) {
            release();
        }
    }

    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * Closes: idempotent, safe from any thread, wakes a thread blocked in {@code poll}.
     *
     * @throws IOException when this call released the descriptors and close(2) failed
     */
    public void close() throws IOException {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            // The closer counts itself as a user so that release happens exactly once, by whoever leaves last.
            if (state.compareAndSet(s, (s | CLOSED) + ONE_USER)) {
                break;
            }
        }
        signal();
        if (state.addAndGet(-ONE_USER) == CLOSED) {
            IOException e = release();
            if (e != null) {
                throw e;
            }
        }
    }

    private void signal() {
        Memory one = new Memory(8);
        one.setLong(0, 1);
        // A failure here (the counter cannot overflow from one write) would only delay a blocked reader.
        LibC.write(wakeFd, Pointer.nativeValue(one), 8);
        Reference.reachabilityFence(one);
    }

    private IOException release() {
        IOException failure = null;
        if (LibC.close(fd) != 0) {
            failure = Errno.lastException("close(" + what + ")");
        }
        if (LibC.close(wakeFd) != 0 && failure == null) {
            failure = Errno.lastException("close(eventfd of " + what + ")");
        }
        return failure;
    }
}
