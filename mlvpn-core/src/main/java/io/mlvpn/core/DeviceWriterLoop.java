package io.mlvpn.core;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.crypto.ReplayWindow;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.TruncatedCounter;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-writer thread: takes packets from the receivers (and the tunnel's own ICMP answers)
 * off the hand-off ring, drops duplicates of the tunnel-wide data sequence, and writes them to the
 * device in batches. Owns the duplicate window and every buffer it took until it releases it.
 */
final class DeviceWriterLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DeviceWriterLoop.class);
    private static final int BATCH = 32;
    private static final long PARK_NANOS = 1_000_000L;

    private final TunnelContext ctx;
    private final PacketBatch out = new PacketBatch(BATCH);
    private final ReplayWindow duplicates = new ReplayWindow();
    private long lineage = Long.MIN_VALUE;

    DeviceWriterLoop(TunnelContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        try {
            while (ctx.running) {
                PacketBuffer b = ctx.toDevice.poll();
                if (b == null) {
                    flush();
                    ctx.writerParked = true;
                    b = ctx.toDevice.poll();
                    if (b == null) {
                        // Bounded park: a producer that missed the flag is picked up within 1 ms.
                        LockSupport.parkNanos(this, PARK_NANOS);
                        ctx.writerParked = false;
                        continue;
                    }
                    ctx.writerParked = false;
                }
                if (accept(b)) {
                    out.add(b);
                    if (out.isFull()) {
                        flush();
                    }
                } else {
                    ctx.pool.release(b);
                }
            }
        } catch (ClosedChannelException e) {
            // The device was closed: the tunnel is stopping.
        } catch (IOException e) {
            log.error("device {}: write failed, tunnel stops writing: {}", ctx.device.name(), e.toString());
        } finally {
            releaseAll();
        }
    }

    private boolean accept(PacketBuffer b) {
        if (b.data().get(TunnelContext.KIND_OFFSET) != TunnelContext.KIND_PEER_DATA) {
            return true;
        }
        int l = b.data().getInt(TunnelContext.LINEAGE_OFFSET);
        if (l != lineage) {
            // A new session lineage means the peer's data sequence started over.
            lineage = l;
            duplicates.reset();
        }
        // The receiver left the packet's header at index 0; its word is the data sequence.
        long low = b.data().getInt(Header.WORD_OFFSET) & 0xFFFF_FFFFL;
        long dseq = TruncatedCounter.expand(duplicates.highest(), low);
        if (!duplicates.accept(dseq)) {
            ctx.counters.dropsDuplicate = ctx.counters.dropsDuplicate + 1;
            return false;
        }
        return true;
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
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            ctx.counters.deviceWriteErrors = ctx.counters.deviceWriteErrors + 1;
            if (log.isDebugEnabled()) {
                log.debug("device write failed: {}", e.toString());
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
