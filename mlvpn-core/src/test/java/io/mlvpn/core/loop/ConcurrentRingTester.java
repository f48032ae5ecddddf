package io.mlvpn.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs producers and consumers against a ring and checks that every item arrives exactly once
 * and, per consumer, in each producer's order. Items are {@code producer << 32 | sequence}.
 */
final class ConcurrentRingTester {
    private static final long JOIN_TIMEOUT_MILLIS = 60_000;

    private final TestRing ring;
    private final int producers;
    private final int consumers;
    private final int itemsPerProducer;
    private final AtomicBoolean abort = new AtomicBoolean();
    private final AtomicLong received = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final boolean[][] seen;

    ConcurrentRingTester(TestRing ring, int producers, int consumers, int itemsPerProducer) {
        this.ring = ring;
        this.producers = producers;
        this.consumers = consumers;
        this.itemsPerProducer = itemsPerProducer;
        this.seen = new boolean[producers][itemsPerProducer];
    }

    void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            threads.add(thread("producer-" + p, producerLoop(p)));
        }
        for (int c = 0; c < consumers; c++) {
            threads.add(thread("consumer-" + c, this::consumerLoop));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(JOIN_TIMEOUT_MILLIS);
            if (t.isAlive()) {
                abort.set(true);
                fail(t.getName() + " did not finish; received " + received.get());
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("worker failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < itemsPerProducer; i++) {
                assertTrue(seen[p][i], "missing item " + p + "/" + i);
            }
        }
        assertNull(ring.poll());
        assertEquals(0, ring.size());
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
                abort.set(true);
            }
        }, "ring-test-" + name);
        t.setDaemon(true);
        return t;
    }

    private Runnable producerLoop(int producer) {
        return () -> {
            for (long i = 0; i < itemsPerProducer && !abort.get(); i++) {
                Long item = ((long) producer << 32) | i;
                while (!ring.offer(item)) {
                    if (abort.get()) {
                        return;
                    }
                    Thread.yield(); // full: let a consumer run on this shared machine
                }
            }
        };
    }

    private void consumerLoop() {
        long total = (long) producers * itemsPerProducer;
        long[] lastSequence = new long[producers];
        java.util.Arrays.fill(lastSequence, -1);
        while (received.get() < total && !abort.get()) {
            Long item = ring.poll();
            if (item == null) {
                Thread.yield();
                continue;
            }
            int producer = (int) (item >>> 32);
            int sequence = (int) (long) item;
            if (sequence <= lastSequence[producer]) {
                fail("producer " + producer + " out of order: " + sequence + " after " + lastSequence[producer]);
            }
            lastSequence[producer] = sequence;
            synchronized (seen) {
                assertFalse(seen[producer][sequence], "duplicate " + producer + "/" + sequence);
                seen[producer][sequence] = true;
            }
            received.incrementAndGet();
        }
    }
}
