package io.mlvpn.benchmarks;

import io.mlvpn.core.crypto.ReplayWindow;
import io.mlvpn.core.reorder.DuplicateFilter;
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
 * The per-link {@link ReplayWindow} (checked and updated for every authenticated packet) and the
 * tunnel-wide {@link DuplicateFilter} (every data packet when reordering is off): in order, and
 * with every pair of packets swapped, as two links of different delay deliver them. Independent
 * of the payload size; read against {@code SealerBenchmark} for its share of a packet's cost.
 *
 * <p>Per-thread state: not shared between benchmark threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReplayWindowBenchmark {

    private final ReplayWindow window = new ReplayWindow();
    private final DuplicateFilter filter = new DuplicateFilter();
    private long windowSeq;
    private long filterSeq;

    /** Accepts a first run of sequences, so that the duplicate case finds one in the window. */
    @Setup
    public void setUp() {
        for (; windowSeq < 100; windowSeq++) {
            window.accept(windowSeq);
        }
    }

    /** The replay window, sequences in order: check, then accept, as the receiving link does. */
    @Benchmark
    public boolean replayInOrder() {
        long s = windowSeq++;
        return window.mayAccept(s) && window.accept(s);
    }

    /** The replay window, each pair of sequences arriving swapped (one behind the highest each time). */
    @Benchmark
    @OperationsPerInvocation(2)
    public boolean replaySwapped() {
        long s = windowSeq;
        windowSeq = s + 2;
        boolean a = window.mayAccept(s + 1) && window.accept(s + 1);
        boolean b = window.mayAccept(s) && window.accept(s);
        return a & b;
    }

    /** The replay window refusing a replayed sequence (the one below the highest). */
    @Benchmark
    public boolean replayDuplicate() {
        long s = windowSeq - 1;
        return window.mayAccept(s) && window.accept(s);
    }

    /** The duplicate filter, data sequences in order. */
    @Benchmark
    public boolean filterInOrder() {
        return filter.firstTime(filterSeq++);
    }

    /** The duplicate filter, each pair of sequences swapped. */
    @Benchmark
    @OperationsPerInvocation(2)
    public boolean filterSwapped() {
        long s = filterSeq;
        filterSeq = s + 2;
        return filter.firstTime(s + 1) & filter.firstTime(s);
    }
}
