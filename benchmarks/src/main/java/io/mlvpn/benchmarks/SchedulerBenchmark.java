package io.mlvpn.benchmarks;

import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.core.scheduler.Schedulers;
import io.mlvpn.core.wire.Header;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Every scheduler's choice for one 1400-byte packet with 1, 3 and 8 links, including the
 * bookkeeping the engine does for the chosen links (bytes sent, in flight). The reference is
 * {@code wrr} with one link: the least a scheduler can do.
 *
 * <p>Per-thread state: not shared between benchmark threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerBenchmark {
    private static final int PACKET_BYTES = 1400 + Header.OVERHEAD;

    /** The scheduler's configuration name ({@code redundant} sends each packet on 2 links). */
    @Param({"wrr", "adaptive", "earliest-arrival", "redundant"})
    public String scheduler;

    /** Links, all up, each slower and farther than the one before. */
    @Param({"1", "3", "8"})
    public int links;

    private Scheduler chooser;
    private FakeLinkSet linkSet;
    /** As many as the engine allows per packet. */
    private final int[] targets = new int[8];

    /** Creates the scheduler and tells it the links. */
    @Setup
    public void setUp() {
        chooser = Schedulers.create(scheduler, 2);
        linkSet = new FakeLinkSet(links);
        chooser.linksChanged(linkSet);
    }

    /** Chooses the link(s) for one packet and counts it as sent on them. */
    @Benchmark
    public int pick() {
        FakeLinkSet set = linkSet;
        int[] t = targets;
        int n = chooser.select(set, PACKET_BYTES, t);
        for (int i = 0; i < n; i++) {
            set.get(t[i]).onSent(PACKET_BYTES);
        }
        return n;
    }
}
