package io.mlvpn.benchmarks;

import io.mlvpn.api.crypto.CipherSuite;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole packet path in one JVM: client device, seal, UDP over loopback, open, server device
 * ({@link LoopbackPipeline}, AES-256-GCM). One benchmark thread injects packets and polls what
 * comes out, at most {@value #WINDOW_PACKETS} in flight; the tunnels' own threads do the rest.
 *
 * <p>The score is packets injected per second; the {@code delivered} counter is packets out per
 * second and {@code payloadBits} payload bits out per second (Gbit/s = payloadBits / 1e9);
 * {@code lost} counts packets given up after 50 ms. With {@code -prof gc} the allocation per
 * operation covers every thread of the JVM, the tunnels' included: it should equal
 * {@code SealerBenchmark.jdkSealOpen}, the JDK cipher's own allocation for one seal and one open. The reference for packet rates is
 * {@link UdpLoopbackBenchmark}, bare datagrams over the same loopback.
 *
 * <p>Per-thread state: run with one benchmark thread (the default).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineBenchmark {
    static final int WINDOW_PACKETS = 128;

    /** Payload bytes of each packet (the tunnel MTU is 1440). */
    @Param({"64", "512", "1400"})
    public int payloadBytes;

    /** Links between the two ends. */
    @Param({"1", "2"})
    public int links;

    private LoopbackPipeline pipeline;
    private PacketPump pump;

    /** What came out of the tunnel, per second. Per-thread, reset every iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivered {
        /** Packets out of the server's device. */
        public long delivered;
        /** Payload bits out of the server's device. */
        public long payloadBits;
        /** Packets given up as lost. */
        public long lost;

        /** Clears the counters before each iteration. */
        @Setup(Level.Iteration)
        public void clear() {
            delivered = 0;
            payloadBits = 0;
            lost = 0;
        }
    }

    /** Starts the tunnel pair and waits for its links. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        pipeline = LoopbackPipeline.start("bench", links, CipherSuite.AES_256_GCM);
        pipeline.awaitUp(20_000);
        pump = new PacketPump(pipeline.clientDevice(), pipeline.serverDevice(), payloadBytes, WINDOW_PACKETS);
    }

    /** Stops the tunnel pair. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        pump.drainAll();
        pipeline.close();
    }

    /** Injects one packet into the client's device and takes what came out of the server's. */
    @Benchmark
    public int packet(Delivered counters) throws InterruptedException {
        long lostBefore = pump.presumedLost();
        int got = pump.sendOne();
        counters.delivered += got;
        counters.payloadBits += (long) got * payloadBytes * 8;
        counters.lost += pump.presumedLost() - lostBefore;
        return got;
    }
}
