package io.mlvpn.core;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.buffer.PacketMeta;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.metrics.TunnelCounters;
import io.mlvpn.core.reorder.DuplicateFilter;
import io.mlvpn.core.reorder.LinkFrontiers;
import io.mlvpn.core.reorder.ReorderBuffer;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.TruncatedCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-writer thread: takes packets from the receivers (and the tunnel's own ICMP answers)
 * off the hand-off ring, drops duplicates of the tunnel-wide data sequence, puts data back in order
 * (when reordering is on) and writes it to the device in batches. Owns the reorder buffer, the
 * duplicate filter and every buffer it took until it releases it.
 */
final class DeviceWriterLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DeviceWriterLoop.class);
    private static final int BATCH = 32;
    private static final long PARK_NANOS = 1_000_000L;
    /** How often the gap timeout follows the links' measured delays. */
    private static final long TIMEOUT_UPDATE_NANOS = 100_000_000L;
    private static final long GAP_FLOOR_NANOS = 1_000_000L;
    private static final long GAP_CEILING_NANOS = 1_000_000_000L;
    /**
     * A link that delivered no data for this long, or for the gap timeout when that is longer, is
     * no longer draining a queue. The timeout part keeps a link whose deliveries come in bursts
     * (a starved CPU, a bursty radio) counted as draining, at no cost to a tail loss, which waits
     * for the timeout anyway.
     */
    private static final long QUIET_NANOS = 5_000_000L;
    /** The longest a gap is waited for while a link still drains: at least this, else 4 timeouts. */
    private static final long WAIT_CEILING_FLOOR_NANOS = 100_000_000L;

    private final TunnelContext ctx;
    private final PacketBatch out = new PacketBatch(BATCH);
    private final ReorderBuffer<PacketBuffer> reorder;
    private final DuplicateFilter duplicates = new DuplicateFilter();
    private final LinkFrontiers frontiers = new LinkFrontiers();
    private final long[] srtts = new long[Session.MAX_LINKS];
    private final long[] rttVars = new long[Session.MAX_LINKS];
    private long highestSequence = -1;
    /** The newest session lineage written so far; data of older ones is dropped. */
    private int lineage;
    private boolean lineageSeen;
    private int linkLossesSeen;
    private long nextTimeoutUpdateNanos;
    private final EngineErrors errors;
    /** The packet being handled, until it is given to the batch, the reorder buffer or the pool. */
    private PacketBuffer inHand;
    /** The exception of a device write given up for good: it ends the thread. */
    private RuntimeException giveUp;

    DeviceWriterLoop(TunnelContext ctx, int reorderPackets) {
        this.ctx = ctx;
        this.reorder = reorderPackets > 0 ? new ReorderBuffer<>(reorderPackets) : null;
        this.errors = new EngineErrors(log, "device writer", ctx);
    }

    /**
     * Runs until the tunnel stops. An unexpected exception costs the packet (or the batch) it
     * happened on, counted and logged by {@link EngineErrors}; a device that fails for good (an
     * I/O error that is not a passing one, closed under the running tunnel, or writes failing
     * {@link EngineErrors#GIVE_UP_STREAK} times in a row) ends the thread with an exception, which
     * fails the tunnel (see {@link BondedTunnel}).
     */
    @Override
    public void run() {
        try {
            while (ctx.running) {
                try {
                    step();
                } catch (RuntimeException e) {
                    if (e == giveUp) {
                        throw e;
                    }
                    errors.record("packet dropped", e);
                    releaseInHand();
                }
            }
        } catch (IOException e) {
            if (ctx.running) {
                throw new UncheckedIOException("device " + ctx.device.name() + ": write failed", e);
            }
        } finally {
            releaseInHand();
            releaseAll();
            if (reorder != null) {
                reorder.flush();
                PacketBuffer held;
                while ((held = reorder.poll()) != null) {
                    ctx.pool.release(held);
                }
            }
        }
    }

    /** Writes what is ready, waits for work, or takes one packet off the ring and handles it. */
    private void step() throws IOException {
        long now = ctx.clock.nanoTime();
        if (reorder != null) {
            maintainReorder(now);
        }
        PacketBuffer b = ctx.toDevice.poll();
        if (b == null) {
            flush();
            ctx.writerParked = true;
            b = ctx.toDevice.poll();
            if (b == null) {
                // Bounded park: a producer that missed the flag, or a gap deadline, is
                // picked up within 1 ms.
                long park = PARK_NANOS;
                if (reorder != null && reorder.held() > 0) {
                    long untilDeadline = reorder.nextDeadlineNanos() - now;
                    // Past its deadline a gap is only held while a link still drains
                    // (worthWaiting): recheck it at the ordinary pace, not in a spin.
                    park = untilDeadline > 0 ? Math.max(10_000L, Math.min(park, untilDeadline)) : PARK_NANOS;
                }
                LockSupport.parkNanos(this, park);
                ctx.writerParked = false;
                return;
            }
            ctx.writerParked = false;
        }
        inHand = b;
        handle(b, now);
    }

    /**
     * Returns the packet being handled when an exception left it with nobody else: one that was
     * already given to the batch, the reorder buffer or the pool is not this loop's to return.
     */
    private void releaseInHand() {
        PacketBuffer b = inHand;
        if (b != null) {
            inHand = null;
            ctx.pool.release(b);
        }
    }

    private void maintainReorder(long now) throws IOException {
        int losses = ctx.linkLosses;
        if (losses != linkLossesSeen) {
            // A link went silent or down: the gaps it left will not fill.
            linkLossesSeen = losses;
            reorder.flush();
        } else if (!worthWaiting(now)) {
            reorder.expire(now);
        }
        drain();
        if (now - nextTimeoutUpdateNanos >= 0) {
            nextTimeoutUpdateNanos = now + TIMEOUT_UPDATE_NANOS;
            int n = 0;
            boolean unmeasured = false;
            for (LinkRuntime l : ctx.links()) {
                if (l.state().connected()) {
                    if (!l.hasRttSample()) {
                        unmeasured = true;
                        break;
                    }
                    srtts[n] = l.srttMicros();
                    rttVars[n] = l.rttVarMicros();
                    n++;
                }
            }
            // Until every link in use is measured the spread is unknown: wait the default.
            long timeout = n == 0 || unmeasured ? ReorderBuffer.DEFAULT_GAP_TIMEOUT_NANOS
                    : ReorderBuffer.gapTimeoutNanos(srtts, rttVars, n, GAP_FLOOR_NANOS, GAP_CEILING_NANOS);
            // Data waits in queues that round trips of keepalives may not see: the delay spread
            // measured on the data itself, with room for its queues to grow, bounds it from below.
            long spread = frontiers.delaySpreadNanos(now);
            long measured = spread + spread / 2 + ReorderBuffer.GAP_MARGIN_NANOS;
            reorder.setGapTimeoutNanos(Math.min(GAP_CEILING_NANOS, Math.max(timeout, measured)));
            frontiers.reanchor();
        }
    }

    /**
     * Whether the gap at the head of the reorder buffer should be waited for past its timeout:
     * a link that has not delivered anything sent after the gap is still delivering, so the
     * missing packet may sit in its queue; a queue that grows beyond what the timeout foresaw
     * must not turn into packets released out of order. Bounded by {@link #waitCeilingNanos}.
     */
    private boolean worthWaiting(long now) {
        return reorder.held() > 0
                && reorder.oldestWaitNanos(now) < waitCeilingNanos()
                && frontiers.mayStillArrive(reorder.nextExpectedSeq(), now,
                        Math.max(QUIET_NANOS, reorder.gapTimeoutNanos()));
    }

    /** Links connected at this end now; each may carry the peer's data. */
    private int connectedLinks() {
        LinkRuntime[] links = ctx.links();
        int n = 0;
        for (LinkRuntime l : links) {
            if (l.state().connected()) {
                n++;
            }
        }
        return n;
    }

    private long waitCeilingNanos() {
        return Math.min(GAP_CEILING_NANOS, Math.max(WAIT_CEILING_FLOOR_NANOS, 4 * reorder.gapTimeoutNanos()));
    }

    private void handle(PacketBuffer b, long now) throws IOException {
        PacketMeta meta = PacketMeta.of(b);
        if (meta.kind() != PacketMeta.Kind.PEER_DATA) {
            inHand = null;
            add(b);
            return;
        }
        int l = meta.lineage();
        if (l != lineage || !lineageSeen) {
            if (lineageSeen && l - lineage < 0) {
                // Lineages only grow (this end numbers them): data of an older one arriving after
                // the newer one's is a straggler or copy from before the handshake. Written now,
                // it would be out of order, and could be a second copy: the old duplicate filter
                // is gone.
                inHand = null;
                ctx.counters.dropsStaleLineage = ctx.counters.dropsStaleLineage + 1;
                ctx.pool.release(b);
                return;
            }
            // A new session lineage means the peer's data sequence may have started over; what
            // the old one still held is written first, once (reset keeps it releasable).
            lineageSeen = true;
            lineage = l;
            highestSequence = -1;
            duplicates.reset();
            frontiers.reset();
            if (reorder != null) {
                reorder.reset();
                drain();
            }
        }
        // The receiver left the packet's header at index 0; its word is the data sequence.
        long low = b.data().getInt(Header.WORD_OFFSET) & 0xFFFF_FFFFL;
        long seq = TruncatedCounter.expand(highestSequence, low);
        if (seq > highestSequence) {
            highestSequence = seq;
        }
        if (reorder == null) {
            boolean first = duplicates.firstTime(seq);
            inHand = null;
            if (first) {
                add(b);
            } else {
                dropDuplicate(b);
            }
            return;
        }
        frontiers.record(b.data().get(Header.LINK_ID_OFFSET) & 0xFF, seq,
                b.data().getShort(Header.STAMP_OFFSET) & 0xFFFF, now);
        // Given up before the offer: should the offer throw after keeping the buffer, a lost
        // buffer is a smaller harm than one returned while the reorder buffer still holds it.
        inHand = null;
        int status = reorder.offer(seq, b, now);
        if (status == ReorderBuffer.DUPLICATE || status == ReorderBuffer.TOO_OLD) {
            dropDuplicate(b);
            return;
        }
        if (reorder.held() > 0) {
            // Gaps that no link can still fill are losses: release what waits behind them now.
            reorder.skipBelow(frontiers.clearedBelow(now, connectedLinks()));
        }
        drain();
    }

    private void dropDuplicate(PacketBuffer b) {
        ctx.counters.dropsDuplicate = ctx.counters.dropsDuplicate + 1;
        ctx.pool.release(b);
    }

    private void drain() throws IOException {
        PacketBuffer b;
        while ((b = reorder.poll()) != null) {
            add(b);
        }
    }

    private void add(PacketBuffer b) throws IOException {
        out.add(b);
        if (out.isFull()) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (out.isEmpty()) {
            return;
        }
        try {
            ctx.device.write(out);
            TunnelCounters c = ctx.counters;
            long bytes = 0;
            for (int i = 0; i < out.size(); i++) {
                bytes += out.get(i).length();
            }
            c.devicePacketsOut = c.devicePacketsOut + out.size();
            c.deviceBytesOut = c.deviceBytesOut + bytes;
            if (reorder != null) {
                c.reordered = reorder.reordered();
                c.lateArrivals = reorder.late();
                c.skippedGaps = reorder.skippedGaps();
                for (int i = 0; i < c.reorderDelayCounts.length(); i++) {
                    c.reorderDelayCounts.lazySet(i, reorder.delayCount(i));
                }
                c.reorderDelaySumNanos = reorder.delaySumNanos();
            }
            errors.succeeded();
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            ctx.counters.deviceWriteErrors = ctx.counters.deviceWriteErrors + 1;
            if (log.isDebugEnabled()) {
                log.debug("device write failed: {}", e.toString());
            }
        } catch (RuntimeException e) {
            if (errors.recordRepeated("device write failed, batch dropped", e)) {
                giveUp = e;
                throw e;
            }
        } finally {
            releaseAll();
        }
    }

    private void releaseAll() {
        PacketBuffer b;
        while ((b = out.removeLast()) != null) {
            ctx.pool.release(b);
        }
    }
}
