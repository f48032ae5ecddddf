package io.mlvpn.benchmarks;

import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding and decoding the {@value Header#LENGTH}-byte packet header in place ({@link Header}),
 * against the same fields written and read through a heap {@link ByteBuffer} ({@code buffer*}),
 * the obvious JDK alternative. Independent of the payload size.
 *
 * <p>Per-thread state: not shared between benchmark threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderBenchmark {

    private final byte[] packet = new byte[64];
    private final ByteBuffer view = ByteBuffer.wrap(packet);
    private long seq;

    /** Writes one header so that the decoders read a valid one. */
    @Setup
    public void setUp() {
        Header.write(packet, 0, PacketType.DATA, 3, 0x1234, 77, 0x2345, 0x3456, 0x4567);
    }

    /** Encodes a data header: version and type, link id, session id, sequence, stamps and word. */
    @Benchmark
    public byte[] headerWrite() {
        long s = seq++;
        Header.write(packet, 0, PacketType.DATA, 3, 0x1234, s, (int) s & 0xFFFF, 0x3456, s);
        return packet;
    }

    /** Checks a header as the receiver does before authentication, then reads every field. */
    @Benchmark
    public long headerRead() {
        byte[] b = packet;
        if (Header.check(b, 0, b.length) != Header.OK) {
            return -1;
        }
        return Header.type(b, 0) + Header.linkId(b, 0) + Header.sessionId(b, 0) + Header.sequenceLow(b, 0)
                + Header.stamp(b, 0) + Header.echo(b, 0) + Header.word(b, 0);
    }

    /** Reference: the same fields written through a heap {@code ByteBuffer} (big-endian). */
    @Benchmark
    public ByteBuffer bufferWrite() {
        long s = seq++;
        ByteBuffer v = view;
        v.put(0, (byte) (Header.VERSION << 4 | PacketType.DATA));
        v.put(1, (byte) 3);
        v.putShort(2, (short) 0x1234);
        v.putInt(4, (int) s);
        v.putShort(8, (short) s);
        v.putShort(10, (short) 0x3456);
        v.putInt(12, (int) s);
        return v;
    }

    /** Reference: the same checks and fields read through a heap {@code ByteBuffer}. */
    @Benchmark
    public long bufferRead() {
        ByteBuffer v = view;
        if (v.limit() < Header.OVERHEAD) {
            return -1;
        }
        int first = v.get(0);
        if ((first >> 4 & 0x0F) != Header.VERSION || !PacketType.isKnown(first & 0x0F)) {
            return -1;
        }
        int session = v.getShort(2) & 0xFFFF;
        if (session == 0) {
            return -1;
        }
        return (first & 0x0F) + (v.get(1) & 0xFF) + session + (v.getInt(4) & 0xFFFFFFFFL)
                + (v.getShort(8) & 0xFFFF) + (v.getShort(10) & 0xFFFF) + (v.getInt(12) & 0xFFFFFFFFL);
    }
}
