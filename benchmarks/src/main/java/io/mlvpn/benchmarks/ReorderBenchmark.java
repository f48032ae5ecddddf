package io.mlvpn.benchmarks;

import io.mlvpn.core.reorder.ReorderBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The {@link ReorderBuffer} taking packets and releasing them in order, per packet received:
 * without gaps, with gaps that fill (each group of 8 arrives as 1 0 3 2 5 4 7 6, as two links of
 * different delay deliver them), and with gaps that never fill (the first of each 8 lost, skipped
 * at the gap timeout). The reference is an {@link ArrayDeque} taking and releasing the same items
 * in arrival order: a FIFO that does no reordering at all.
 *
 * <p>Time is simulated (1 µs per packet), so the gap timeout costs no waiting.
 *
 * <p>Per-thread state: not shared between benchmark threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReorderBenchmark {
    private static final int CAPACITY_PACKETS = 1024;
    private static final long NANOS_PER_PACKET = 1_000;
    private static final long GAP_TIMEOUT_NANOS = 20 * NANOS_PER_PACKET;

    private final ReorderBuffer<Object> buffer = new ReorderBuffer<>(CAPACITY_PACKETS);
    private final ArrayDeque<Object> fifo = new ArrayDeque<>(CAPACITY_PACKETS);
    private final Object item = new Object();
    private long seq;
    private long nowNanos;

    /** Sets the gap timeout. */
    @Setup
    public void setUp() {
        buffer.setGapTimeoutNanos(GAP_TIMEOUT_NANOS);
    }

    /** Packets in order: each is released at once. */
    @Benchmark
    public int inOrder() {
        ReorderBuffer<Object> b = buffer;
        int status = b.offer(seq++, item, nowNanos += NANOS_PER_PACKET);
        return status + drain(b);
    }

    /** Pairs swapped: every other packet is held until the one before it arrives. */
    @Benchmark
    @OperationsPerInvocation(8)
    public int swappedPairs() {
        ReorderBuffer<Object> b = buffer;
        long s = seq;
        seq = s + 8;
        int released = 0;
        for (int i = 0; i < 8; i += 2) {
            b.offer(s + i + 1, item, nowNanos += NANOS_PER_PACKET);
            b.offer(s + i, item, nowNanos += NANOS_PER_PACKET);
            released += drain(b);
        }
        return released;
    }

    /**
     * One packet of 8 lost: the other 7 are held, then released when the gap timeout has passed.
     * Per packet received (7 per invocation).
     */
    @Benchmark
    @OperationsPerInvocation(7)
    public int oneInEightLost() {
        ReorderBuffer<Object> b = buffer;
        long s = seq;
        seq = s + 8;
        int released = 0;
        for (int i = 1; i < 8; i++) {
            b.offer(s + i, item, nowNanos += NANOS_PER_PACKET);
            released += drain(b);
        }
        // The engine's device writer wakes at nextDeadlineNanos(); jump there.
        nowNanos = Math.max(nowNanos, b.nextDeadlineNanos());
        b.expire(nowNanos);
        return released + drain(b);
    }

    /** Reference: a plain FIFO taking and releasing one item. */
    @Benchmark
    public Object fifo() {
        ArrayDeque<Object> f = fifo;
        f.offer(item);
        return f.poll();
    }

    private static int drain(ReorderBuffer<Object> b) {
        int n = 0;
        while (b.poll() != null) {
            n++;
        }
        return n;
    }
}
