package io.mlvpn.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.core.buffer.BufferPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The counters that several engine threads write at once lose no update.
 *
 * <p>The engine calls these very methods from the device reader and from every link's receiver
 * thread. A plain read-add-write of a volatile field loses updates when two threads interleave;
 * four threads hammering one counter on two cores lose thousands of a few million, so the exact
 * sums below fail with near certainty on such a counter and hold on an atomic or striped one.
 */
class TunnelCountersTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 5_000_000;

    @Test
    void noBufferDropsCountedFromSeveralThreadsAddUp() throws Exception {
        TunnelCounters c = new TunnelCounters();
        hammer(c::countNoBuffer);
        assertEquals((long) THREADS * PER_THREAD, snapshot(c).dropsNoBuffer(),
                "no-buffer drops counted by " + THREADS + " threads");
    }

    @Test
    void queueFullDropsCountedFromSeveralThreadsAddUp() throws Exception {
        TunnelCounters c = new TunnelCounters();
        hammer(c::countQueueFull);
        assertEquals((long) THREADS * PER_THREAD, snapshot(c).dropsQueueFull(),
                "queue-full drops counted by " + THREADS + " threads");
    }

    @Test
    void internalErrorsCountedFromSeveralThreadsAddUp() throws Exception {
        TunnelCounters c = new TunnelCounters();
        hammer(c::countInternalError);
        assertEquals((long) THREADS * PER_THREAD, snapshot(c).internalErrors(),
                "internal errors counted by " + THREADS + " threads");
    }

    private static TunnelStats snapshot(TunnelCounters c) {
        return c.snapshot(TunnelState.NEW, List.of(), new BufferPool(64, 1));
    }

    /** Runs {@code increment} {@link #PER_THREAD} times on each of {@link #THREADS} threads started together. */
    static void hammer(Runnable increment) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        increment.run();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "counter-hammer-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), failures, "hammer threads failed");
    }
}
