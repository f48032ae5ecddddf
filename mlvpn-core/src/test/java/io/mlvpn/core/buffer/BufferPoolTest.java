package io.mlvpn.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mlvpn.api.packet.PacketBuffer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void rejectsBadConfiguration() {
        assertEquals("bufferCapacity < 64: 63",
                assertThrows(IllegalArgumentException.class, () -> new BufferPool(63, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(2048, 0));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(2048, -5));
    }

    @Test
    void handsOutAtMostMaxBuffersThenNull() {
        BufferPool pool = new BufferPool(256, 3);
        PacketBuffer a = pool.acquire();
        PacketBuffer b = pool.acquire();
        PacketBuffer c = pool.acquire();
        assertNotNull(a);
        assertNotNull(b);
        assertNotNull(c);
        assertNotSame(a, b);
        assertNotSame(b, c);
        assertNotSame(a, c);
        assertNull(pool.acquire());
        assertNull(pool.acquire());
        assertEquals(3, pool.outstanding());
        assertEquals(3, pool.allocated());

        pool.release(b);
        assertEquals(2, pool.outstanding());
        assertSame(b, pool.acquire());
        assertEquals(3, pool.allocated());
        assertEquals(256, b.capacity());
        assertEquals(256, pool.bufferCapacity());
    }

    @Test
    void allocatesLazily() {
        BufferPool pool = new BufferPool(256, 1000);
        assertEquals(0, pool.allocated());
        pool.release(pool.acquire());
        pool.release(pool.acquire());
        assertEquals(1, pool.allocated());
    }

    @Test
    void acquiredBufferIsCleared() {
        BufferPool pool = new BufferPool(256, 1);
        PacketBuffer buffer = pool.acquire();
        buffer.span(32, 100).address(new InetSocketAddress("127.0.0.1", 5000));
        pool.release(buffer);
        PacketBuffer again = pool.acquire();
        assertSame(buffer, again);
        assertEquals(0, again.offset());
        assertEquals(0, again.length());
        assertNull(again.address());
    }

    @Test
    void releaseWithoutAcquireIsRejected() {
        BufferPool pool = new BufferPool(256, 4);
        PacketBuffer buffer = pool.acquire();
        pool.release(buffer);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(buffer));
        assertTrue(e.getMessage().contains("release without acquire"), e.getMessage());
        assertEquals(0, pool.outstanding());
        assertThrows(IllegalStateException.class, () -> new BufferPool(256, 4).release(new PacketBuffer(256)));
    }

    @Test
    void wrongCapacityIsRejected() {
        BufferPool pool = new BufferPool(256, 4);
        pool.acquire();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(new PacketBuffer(128)));
        assertEquals("buffer capacity 128 released to a pool of 256", e.getMessage());
        assertEquals(1, pool.outstanding());
    }

    @Test
    void leakCheckNamesTheOutstandingCount() {
        BufferPool pool = new BufferPool(256, 4);
        pool.checkNoLeaks();
        PacketBuffer a = pool.acquire();
        PacketBuffer b = pool.acquire();
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::checkNoLeaks);
        assertTrue(e.getMessage().startsWith("2 buffers outstanding"), e.getMessage());
        pool.release(a);
        pool.release(b);
        pool.checkNoLeaks();
    }

    @Test
    void reuseAllocatesNothingAfterWarmUp() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not measure per-thread allocation");
        BufferPool pool = new BufferPool(2048, 16);
        cycle(pool, 20_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        cycle(pool, 100_000);
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocatedBytes < 1024, "allocated " + allocatedBytes + " bytes over 100 000 acquire/release pairs");
        assertEquals(2, pool.allocated());
        pool.checkNoLeaks();
    }

    private static void cycle(BufferPool pool, int pairs) {
        for (int i = 0; i < pairs; i++) {
            PacketBuffer a = pool.acquire();
            PacketBuffer b = pool.acquire();
            pool.release(a);
            pool.release(b);
        }
    }

    @Test
    void concurrentAcquireAndReleaseNeverShareABuffer() throws InterruptedException {
        BufferPool pool = new BufferPool(256, 8);
        Set<PacketBuffer> held = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread[] workers = new Thread[2];
        for (int t = 0; t < workers.length; t++) {
            workers[t] = new Thread(() -> {
                try {
                    int done = 0;
                    while (done < 100_000) {
                        PacketBuffer buffer = pool.acquire();
                        if (buffer == null) {
                            Thread.yield(); // transiently empty while the other thread releases
                            continue;
                        }
                        if (!held.add(buffer)) {
                            throw new AssertionError("buffer handed out twice: " + buffer);
                        }
                        held.remove(buffer);
                        pool.release(buffer);
                        done++;
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "pool-test-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join(60_000);
            if (worker.isAlive()) {
                fail(worker.getName() + " did not finish");
            }
        }
        assertTrue(failures.isEmpty(), () -> "worker failed: " + failures);
        assertTrue(pool.allocated() <= 8, "allocated " + pool.allocated());
        pool.checkNoLeaks();
    }

    @Test
    void bufferAcquiredOnOneThreadMayBeReleasedOnAnother() throws InterruptedException {
        BufferPool pool = new BufferPool(256, 4);
        PacketBuffer buffer = pool.acquire();
        Thread releaser = new Thread(() -> pool.release(buffer), "pool-test-releaser");
        releaser.start();
        releaser.join(10_000);
        assertFalse(releaser.isAlive(), "releaser did not finish");
        assertEquals(0, pool.outstanding());
        assertSame(buffer, pool.acquire());
    }
}
