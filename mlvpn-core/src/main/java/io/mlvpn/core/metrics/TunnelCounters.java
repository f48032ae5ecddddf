package io.mlvpn.core.metrics;

import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.core.buffer.BufferPool;
import io.mlvpn.core.reorder.ReorderBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tunnel-wide counters. Each plain field is written by the one thread named above it; the ones
 * several threads count are atomic or striped and written through the methods below. Readers take
 * a {@link #snapshot} at any time. Engine-internal: public only so that the engine's package
 * can reach it.
 *
 * <p>Adding a counter: a field here, a component of {@link TunnelStats} filled in
 * {@link #snapshot}, a line in the launcher's status JSON and metrics, a row in
 * {@code docs/control.md}. {@code CounterExportTest} fails until all of them are there.
 */
public final class TunnelCounters {
    // Device reader thread.
    public volatile long devicePacketsIn;
    public volatile long deviceBytesIn;
    public volatile long dropsNoLink;
    public volatile long dropsOversize;
    /** Packet-too-big answers held back by the ICMP rate limit. */
    public volatile long tooBigSuppressed;
    // Device writer thread.
    public volatile long devicePacketsOut;
    public volatile long deviceBytesOut;
    public volatile long dropsDuplicate;
    public volatile long deviceWriteErrors;
    /** Data of an older session lineage that arrived after a newer one's (dropped). */
    public volatile long dropsStaleLineage;
    public volatile long reordered;
    public volatile long lateArrivals;
    public volatile long skippedGaps;
    public final AtomicLongArray reorderDelayCounts = new AtomicLongArray(ReorderBuffer.DELAY_BOUNDS_NANOS.length + 1);
    public volatile long reorderDelaySumNanos;
    // Any thread. Striped where every receiver may count at once (an overload or an empty pool hits
    // them all together), so that counting the trouble does not add contention on one cache line.
    private final LongAdder dropsNoBuffer = new LongAdder();
    private final LongAdder dropsQueueFull = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    /** Sessions established: the client's taken answers, the server's confirmed sessions (receiver threads). */
    public final AtomicLong handshakes = new AtomicLong();
    /** Server: copies of the last accepted offer left unanswered by the resend limit (receiver threads). */
    public final AtomicLong handshakeResendsUnanswered = new AtomicLong();
    /** Client: answers naming the current session, after it was established (receiver threads). */
    public final AtomicLong handshakeAnswersUnsolicited = new AtomicLong();

    /** Counts a thread that found the buffer pool empty (a packet, or a receive, it could not take); any thread. */
    public void countNoBuffer() {
        dropsNoBuffer.increment();
    }

    /** Counts a packet dropped because the hand-off ring to the device writer was full; any thread. */
    public void countQueueFull() {
        dropsQueueFull.increment();
    }

    /** Counts an unexpected exception an engine thread caught (and the packet it cost, if any); any thread. */
    public void countInternalError() {
        internalErrors.increment();
    }

    /** Counts from all threads, with the tunnel's state, its links' snapshots and the pool's occupancy. */
    public TunnelStats snapshot(TunnelState state, List<LinkStats> links, BufferPool pool) {
        return new TunnelStats(state, devicePacketsIn, deviceBytesIn, devicePacketsOut, deviceBytesOut,
                deviceWriteErrors, dropsNoLink, dropsOversize, tooBigSuppressed, dropsQueueFull.sum(),
                dropsNoBuffer.sum(), dropsDuplicate, dropsStaleLineage, internalErrors.sum(), handshakes.get(), handshakeResendsUnanswered.get(),
                handshakeAnswersUnsolicited.get(), reordered, lateArrivals, skippedGaps,
                delayCounts(), reorderDelaySumNanos / 1_000L, pool.outstanding(), pool.maxBuffers(), links);
    }

    private List<Long> delayCounts() {
        List<Long> counts = new ArrayList<>(reorderDelayCounts.length());
        for (int i = 0; i < reorderDelayCounts.length(); i++) {
            counts.add(reorderDelayCounts.get(i));
        }
        return counts;
    }
}
