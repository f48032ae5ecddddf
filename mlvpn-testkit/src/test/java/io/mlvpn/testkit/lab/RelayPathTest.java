package io.mlvpn.testkit.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One relay direction driven from the test thread (as its receive thread) into a recording sink. */
class RelayPathTest {
    private final RecordingSink sink = new RecordingSink();
    private RelayPath path;

    @AfterEach
    void stop() throws InterruptedException {
        if (path != null) {
            path.stop(2_000);
        }
    }

    /** A sent datagram: a copy of its bytes, when and on which thread it was sent. */
    record Sent(byte[] bytes, long atNanos, Thread thread) {
    }

    /** Records what it is given; can be told there is nowhere to send, or to fail. */
    static final class RecordingSink implements DatagramSink {
        final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        volatile boolean nowhere;
        volatile boolean failing;

        @Override
        public boolean send(ByteBuffer datagram) throws IOException {
            if (failing) {
                throw new IOException("send failed on purpose");
            }
            if (nowhere) {
                return false;
            }
            byte[] copy = new byte[datagram.remaining()];
            datagram.get(datagram.position(), copy);
            sent.add(new Sent(copy, System.nanoTime(), Thread.currentThread()));
            return true;
        }

        Sent next() throws InterruptedException {
            Sent s = sent.poll(5, TimeUnit.SECONDS);
            assertNotNull(s, "nothing sent within 5 s");
            return s;
        }
    }

    private static ByteBuffer datagram(int length, int fill) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    @Test
    void passThroughSendsOnTheCallingThread() throws Exception {
        path = new RelayPath("test-release", 1, sink);
        path.accept(datagram(10, 1), System.nanoTime());
        Sent s = sink.next();
        assertSame(Thread.currentThread(), s.thread());
        assertEquals(new RelayCounters(1, 0, 0, 0, 0), path.counters());
    }

    @Test
    void heldDatagramsLeaveAfterTheirDelayInOrder() throws Exception {
        path = new RelayPath("test-release", 1, sink);
        path.impair(Impairment.builder().delay(Duration.ofMillis(5)).build());
        long[] arrivals = new long[3];
        for (int i = 0; i < 3; i++) {
            arrivals[i] = System.nanoTime();
            path.accept(datagram(100, i), arrivals[i]);
        }
        for (int i = 0; i < 3; i++) {
            Sent s = sink.next();
            assertEquals(i, s.bytes()[0]);
            assertTrue(s.atNanos() - arrivals[i] >= 5_000_000L, "left early: " + (s.atNanos() - arrivals[i]));
            assertTrue(s.thread() != Thread.currentThread());
        }
        // The release thread counts just after sending.
        TestWait.until(() -> path.counters().forwarded() == 3, "three forwarded");
    }

    @Test
    void aDatagramLargerThanASlotArrivesWhole() throws Exception {
        path = new RelayPath("test-release", 1, sink);
        path.impair(Impairment.builder().delay(Duration.ofMillis(1)).build());
        ByteBuffer big = ByteBuffer.allocate(60_000);
        for (int i = 0; i < big.capacity(); i++) {
            big.put(i, (byte) (i * 31));
        }
        path.accept(datagram(10, 9), System.nanoTime());
        path.accept(big, System.nanoTime());
        assertEquals(10, sink.next().bytes().length);
        assertArrayEquals(big.array(), sink.next().bytes());
        assertEquals(0, big.position(), "the receive buffer is left as it was");
    }

    @Test
    void holdingMoreThanTheBoundIsACountedDrop() throws Exception {
        path = new RelayPath("test-release", 1, sink, 16);
        path.impair(Impairment.builder().delay(Duration.ofSeconds(30)).build());
        for (int i = 0; i < 20; i++) {
            path.accept(datagram(100, i), System.nanoTime());
        }
        assertEquals(new RelayCounters(0, 0, 0, 0, 4), path.counters());
    }

    @Test
    void slotsAreReusedOnceReleased() throws Exception {
        path = new RelayPath("test-release", 1, sink, 4);
        path.impair(Impairment.builder().delay(Duration.ofNanos(1)).build());
        for (int i = 0; i < 100; i++) {
            path.accept(datagram(100, i), System.nanoTime());
            assertEquals(i, sink.next().bytes()[0]);
        }
        TestWait.until(() -> path.counters().forwarded() == 100, "all forwarded");
        assertEquals(new RelayCounters(100, 0, 0, 0, 0), path.counters());
    }

    @Test
    void cutDropsBeforeAnyImpairment() throws Exception {
        path = new RelayPath("test-release", 1, sink);
        path.impair(Impairment.builder().lossProbability(1).build());
        path.cut(true);
        path.accept(datagram(10, 1), System.nanoTime());
        assertEquals(new RelayCounters(0, 1, 0, 0, 0), path.counters());
        path.cut(false);
        path.accept(datagram(10, 1), System.nanoTime());
        TestWait.until(() -> path.counters().droppedByLoss() == 1, "the loss drop");
        assertEquals(new RelayCounters(0, 1, 1, 0, 0), path.counters());
    }

    @Test
    void nowhereToSendAndFailedSendsAreCountedDrops() throws Exception {
        path = new RelayPath("test-release", 1, sink);
        sink.nowhere = true;
        path.accept(datagram(10, 1), System.nanoTime());
        sink.nowhere = false;
        sink.failing = true;
        path.accept(datagram(10, 1), System.nanoTime());
        path.impair(Impairment.builder().delay(Duration.ofNanos(1)).build());
        path.accept(datagram(10, 1), System.nanoTime());
        TestWait.until(() -> path.counters().droppedOther() == 3, "three counted drops");
        assertEquals(new RelayCounters(0, 0, 0, 0, 3), path.counters());
    }
}
