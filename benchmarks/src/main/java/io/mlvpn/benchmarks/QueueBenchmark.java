package io.mlvpn.benchmarks;

import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.buffer.BufferPool;
import io.mlvpn.core.loop.MpmcRing;
import io.mlvpn.core.loop.MpscRing;
import io.mlvpn.core.loop.SpscRing;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The buffer pool and the rings that hand packets between the engine's threads, one thread,
 * uncontended: the cost each packet pays at every hand-off. The reference is
 * {@link ArrayBlockingQueue}, the JDK's bounded queue: as a pool of the same buffers
 * ({@code abqPool}) and as a hand-off ring ({@code abqOfferPoll}).
 *
 * <p>Per-thread state: not shared between benchmark threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueBenchmark {
    private static final int CAPACITY = 1024;
    private static final int BUFFER_BYTES = 2048;

    private final BufferPool pool = new BufferPool(BUFFER_BYTES, CAPACITY);
    private final ArrayBlockingQueue<PacketBuffer> abqPool = new ArrayBlockingQueue<>(CAPACITY);
    private final MpmcRing<PacketBuffer> mpmc = new MpmcRing<>(CAPACITY);
    private final MpscRing<PacketBuffer> mpsc = new MpscRing<>(CAPACITY);
    private final SpscRing<PacketBuffer> spsc = new SpscRing<>(CAPACITY);
    private final ArrayBlockingQueue<PacketBuffer> abq = new ArrayBlockingQueue<>(CAPACITY);
    private final PacketBuffer packet = new PacketBuffer(BUFFER_BYTES);

    /** Warms the pools: their buffers exist before measuring, as in a running tunnel. */
    @Setup
    public void setUp() {
        PacketBuffer[] taken = new PacketBuffer[64];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = pool.acquire();
        }
        for (PacketBuffer b : taken) {
            pool.release(b);
            abqPool.offer(new PacketBuffer(BUFFER_BYTES));
        }
    }

    /** Takes a buffer from the pool and gives it back. */
    @Benchmark
    public int poolAcquireRelease() {
        PacketBuffer b = pool.acquire();
        int c = b.capacity();
        pool.release(b);
        return c;
    }

    /** Reference: a pool of the same buffers in an {@code ArrayBlockingQueue}: poll, then offer back. */
    @Benchmark
    public int abqPool() {
        PacketBuffer b = abqPool.poll();
        b.clear();
        int c = b.capacity();
        abqPool.offer(b);
        return c;
    }

    /** One packet through the multi-producer multi-consumer ring: offer, then poll. */
    @Benchmark
    public PacketBuffer mpmcOfferPoll() {
        mpmc.offer(packet);
        return mpmc.poll();
    }

    /** One packet through the multi-producer single-consumer ring. */
    @Benchmark
    public PacketBuffer mpscOfferPoll() {
        mpsc.offer(packet);
        return mpsc.poll();
    }

    /** One packet through the single-producer single-consumer ring. */
    @Benchmark
    public PacketBuffer spscOfferPoll() {
        spsc.offer(packet);
        return spsc.poll();
    }

    /** Reference: one packet through an {@code ArrayBlockingQueue}. */
    @Benchmark
    public PacketBuffer abqOfferPoll() {
        abq.offer(packet);
        return abq.poll();
    }
}
