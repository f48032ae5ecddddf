package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FdGuardTest {
    private final AtomicInteger releases = new AtomicInteger();
    private final FdGuard guard = new FdGuard(() -> {
        releases.incrementAndGet();
        return 0;
    });

    private void close() {
        if (guard.enter()) {
            try {
                guard.markClosed();
            } finally {
                guard.exit();
            }
        }
    }

    @Test
    void closeWithNoCallInsideReleasesAtOnce() {
        close();
        assertTrue(guard.isClosed());
        assertTrue(guard.isReleased());
        assertEquals(1, releases.get());
        assertEquals(0, guard.releaseErrno());
    }

    @Test
    void closeIsIdempotent() {
        close();
        close();
        close();
        assertEquals(1, releases.get());
    }

    @Test
    void releaseWaitsForTheLastCallToLeave() {
        assertTrue(guard.enter());
        assertTrue(guard.enter());
        close();
        assertTrue(guard.isClosed());
        assertEquals(0, releases.get());
        guard.exit();
        assertEquals(0, releases.get());
        guard.exit();
        assertEquals(1, releases.get());
    }

    @Test
    void noCallEntersAfterClose() {
        close();
        assertFalse(guard.enter());
        assertEquals(1, releases.get());
    }

    @Test
    void releaseErrnoIsKept() {
        FdGuard failing = new FdGuard(() -> 9);
        assertEquals(-1, failing.releaseErrno());
        assertTrue(failing.enter());
        assertTrue(failing.markClosed());
        assertFalse(failing.markClosed());
        failing.exit();
        assertEquals(9, failing.releaseErrno());
    }

    @Test
    void concurrentCallsAndClosesReleaseExactlyOnce() throws InterruptedException {
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (guard.enter()) {
                        guard.exit();
                    }
                }
                close();
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(1, releases.get());
    }
}
