package io.mlvpn.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
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
 * Reference for {@link PipelineBenchmark}: bare datagrams of the same payload sizes between two
 * connected {@link DatagramChannel}s on 127.0.0.1, sent and received by the one benchmark thread
 * with at most {@value PipelineBenchmark#WINDOW_PACKETS} in flight. No device, no cipher, no
 * second thread: the loopback ceiling of one sender on this machine.
 *
 * <p>Per-thread state: run with one benchmark thread (the default).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UdpLoopbackBenchmark {

    /** Payload bytes of each datagram. */
    @Param({"64", "512", "1400"})
    public int payloadBytes;

    private DatagramChannel sender;
    private DatagramChannel receiver;
    private ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocateDirect(65536);
    private long inFlight;

    /** Datagrams received, per second. Per-thread, reset every iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Received {
        /** Datagrams received. */
        public long delivered;
        /** Payload bits received. */
        public long payloadBits;

        /** Clears the counters before each iteration. */
        @Setup(Level.Iteration)
        public void clear() {
            delivered = 0;
            payloadBits = 0;
        }
    }

    /** Binds and connects the two channels (non-blocking, 4 MiB buffers requested). */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        sender = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        sender.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        receiver.connect(sender.getLocalAddress());
        sender.connect(receiver.getLocalAddress());
        receiver.configureBlocking(false);
        sender.configureBlocking(false);
        out = ByteBuffer.allocateDirect(payloadBytes);
    }

    /** Closes the channels. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sender.close();
        receiver.close();
    }

    /** Sends one datagram (after making room in the window) and receives what has arrived. */
    @Benchmark
    public long datagram(Received counters) throws IOException {
        long got = 0;
        while (inFlight >= PipelineBenchmark.WINDOW_PACKETS) {
            long n = receiveReady();
            if (n == 0) {
                // Loopback delivers synchronously, so nothing pending means the rest was dropped.
                inFlight = 0;
            }
            got += n;
        }
        out.clear();
        if (sender.write(out) > 0) {
            inFlight++;
        }
        got += receiveReady();
        counters.delivered += got;
        counters.payloadBits += got * payloadBytes * 8;
        return got;
    }

    private long receiveReady() throws IOException {
        long n = 0;
        while (true) {
            in.clear();
            if (receiver.read(in) <= 0) {
                break;
            }
            n++;
        }
        inFlight -= n;
        return n;
    }
}
