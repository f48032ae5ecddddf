package io.mlvpn.tun.linux.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;

/**
 * Waits until a descriptor is ready or its wake-up eventfd fires: close(2) alone does not wake a
 * thread blocked on an fd, so every blocking wait polls both. One instance per waiting thread role
 * (reader, writer); not safe for concurrent use. Allocates nothing per wait.
 */
public final class FdPoller {
    private final Memory fds = new Memory(2L * Poll.SIZE);
    private final long address = Pointer.nativeValue(fds);
    private final String what;

    public FdPoller(FdGuard guard, short events, String what) {
        this.what = what;
        fds.clear();
        fds.setInt(Poll.FD_OFFSET, guard.fd());
        fds.setShort(Poll.EVENTS_OFFSET, events);
        fds.setInt(Poll.SIZE + Poll.FD_OFFSET, guard.wakeFd());
        fds.setShort(Poll.SIZE + Poll.EVENTS_OFFSET, Poll.POLLIN);
    }

    /**
     * Blocks until the fd has one of the events (or an error, which the next call on it reports).
     *
     * @return false when woken because the fd is being closed
     */
    public boolean await() throws IOException {
        try {
            for (;;) {
                fds.setShort(Poll.REVENTS_OFFSET, (short) 0);
                fds.setShort(Poll.SIZE + Poll.REVENTS_OFFSET, (short) 0);
                int r = LibC.poll(address, 2, -1);
                if (r < 0) {
                    int errno = Errno.last();
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw Errno.exception("poll(" + what + ")", errno);
                }
                if (fds.getShort(Poll.SIZE + Poll.REVENTS_OFFSET) != 0) {
                    return false;
                }
                if (fds.getShort(Poll.REVENTS_OFFSET) != 0) {
                    return true;
                }
            }
        } finally {
            Reference.reachabilityFence(fds);
        }
    }
}
