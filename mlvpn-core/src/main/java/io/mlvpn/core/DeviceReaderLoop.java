package io.mlvpn.core;

import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.core.buffer.PacketMeta;
import io.mlvpn.core.inner.IcmpRateLimiter;
import io.mlvpn.core.inner.PacketTooBig;
import io.mlvpn.core.inner.PartialChecksums;
import io.mlvpn.core.link.LinkArray;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.LinkSendQueue;
import io.mlvpn.core.link.Pacer;
import io.mlvpn.core.link.SendSide;
import io.mlvpn.core.metrics.TunnelCounters;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.core.wire.Stamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-reader thread: reads packets from the device, asks the scheduler for links, frames,
 * seals and sends them. Owns the scheduler, the data sequence, its sealers and its buffers, and
 * is the one thread that takes the links' {@link SendSide}s from the link set it sends on.
 */
final class DeviceReaderLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DeviceReaderLoop.class);
    private static final int BATCH = 32;
    private static final int MAX_TARGETS = 8;

    private final TunnelContext ctx;
    private final Scheduler scheduler;
    private final SealerCache sealers = new SealerCache(true);
    private final PacketBatch readBatch = new PacketBatch(BATCH);
    /** Per link, what this read batch sealed for it, sent in one call at the end of the batch. */
    private final LinkSendQueue[] queues = new LinkSendQueue[Session.MAX_LINKS];
    private final SendSide[] queued = new SendSide[Session.MAX_LINKS];
    private int queuedLinks;
    private final byte[] scratch;
    private final int[] targets = new int[MAX_TARGETS];
    /** The head of an oversize packet, and the ICMP answer built from it (see answerTooBig). */
    private final byte[] tooBigQuote = new byte[PacketTooBig.MAX_ANSWER];
    private final byte[] tooBigAnswer = new byte[PacketTooBig.MAX_ANSWER];
    private final IcmpRateLimiter tooBigLimiter = new IcmpRateLimiter();
    /** Packets kept per link for rescue: a few round trips' worth at the rates a small router sees. */
    private static final int RESCUE_SLOTS = 512;
    private final RescueRing[] rings = new RescueRing[Session.MAX_LINKS];
    private final Pacer[] pacers = new Pacer[Session.MAX_LINKS];
    private final int[] rescuesSeen = new int[Session.MAX_LINKS];
    private final boolean tun;
    private long dataSequence;
    private final EngineErrors errors;
    private int seenLinkSetVersion = -1;
    private LinkArray seenLinkSet;

    DeviceReaderLoop(TunnelContext ctx, Scheduler scheduler) {
        this.ctx = ctx;
        this.scheduler = scheduler;
        this.scratch = new byte[ctx.bufferCapacity + Header.OVERHEAD];
        this.tun = ctx.device.type() == DeviceType.TUN;
        this.errors = new EngineErrors(log, "device reader", ctx);
    }

    /**
     * Runs until the tunnel stops. An unexpected exception costs the packet (or the batch's send)
     * it happened on, counted and logged by {@link EngineErrors}; a device that fails for good
     * (an I/O error, closed under the running tunnel, or reads failing {@link
     * EngineErrors#GIVE_UP_STREAK} times in a row) ends the thread with an exception, which fails
     * the tunnel (see {@link BondedTunnel}).
     */
    @Override
    public void run() {
        try {
            while (ctx.running) {
                if (!fillBatch()) {
                    ctx.counters.countNoBuffer();
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                int n;
                try {
                    n = ctx.device.read(readBatch);
                    errors.succeeded();
                } catch (RuntimeException e) {
                    if (errors.recordRepeated("device read failed", e)) {
                        throw e;
                    }
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                if (n < 0) {
                    if (ctx.running) {
                        throw new IllegalStateException("device " + ctx.device.name() + " closed under the running tunnel");
                    }
                    break;
                }
                for (int i = 0; i < n; i++) {
                    try {
                        process(readBatch.get(i));
                    } catch (RuntimeException e) {
                        // A bug must cost one packet, not the tunnel's whole sending side.
                        errors.record("packet dropped", e);
                    }
                }
                try {
                    flushAll();
                } catch (RuntimeException e) {
                    errors.record("batch send failed", e);
                }
            }
        } catch (IOException e) {
            if (ctx.running) {
                throw new UncheckedIOException("device " + ctx.device.name() + ": read failed", e);
            }
        } finally {
            releaseBatch();
        }
    }

    /** Tops the batch up with pooled buffers and resets every span; false when the pool is empty. */
    private boolean fillBatch() {
        for (int i = 0; i < readBatch.size(); i++) {
            readBatch.get(i).clear().span(TunnelContext.HEADROOM, 0);
        }
        while (!readBatch.isFull()) {
            PacketBuffer b = ctx.pool.acquire();
            if (b == null) {
                break;
            }
            b.clear().span(TunnelContext.HEADROOM, 0);
            readBatch.add(b);
        }
        return !readBatch.isEmpty();
    }

    private void releaseBatch() {
        PacketBuffer b;
        while ((b = readBatch.removeLast()) != null) {
            ctx.pool.release(b);
        }
    }

    private void process(PacketBuffer b) {
        int len = b.length();
        TunnelCounters c = ctx.counters;
        c.devicePacketsIn = c.devicePacketsIn + 1;
        c.deviceBytesIn = c.deviceBytesIn + len;
        if (len == 0) {
            return;
        }
        int mtu = ctx.effectiveMtu;
        int limit = tun ? mtu : mtu + 14;
        if (len > limit) {
            c.dropsOversize = c.dropsOversize + 1;
            if (tun) {
                answerTooBig(b);
            }
            return;
        }
        Session s = ctx.sessions.current();
        if (s == null) {
            c.dropsNoLink = c.dropsNoLink + 1;
            return;
        }
        LinkArray set = ctx.linkSet;
        int version = ctx.linkSetVersion;
        if (version != seenLinkSetVersion || set != seenLinkSet) {
            seenLinkSetVersion = version;
            seenLinkSet = set;
            scheduler.linksChanged(set);
        }
        rescueIfAsked(set, s);
        int k = scheduler.select(set, len + Header.OVERHEAD, targets);
        if (k <= 0) {
            c.dropsNoLink = c.dropsNoLink + 1;
            return;
        }
        int type = PartialChecksums.mayStayPartial(b, tun && s.peerTakesPartialChecksums)
                ? PacketType.DATA_PARTIAL_CHECKSUM : PacketType.DATA;
        long dseq = dataSequence++;
        for (int t = 0; t < k; t++) {
            send(set.sendSide(targets[t]), s, b, type, dseq);
        }
    }

    private void send(SendSide link, Session s, PacketBuffer b, int type, long dseq) {
        int len = b.length();
        b.data().get(b.offset(), scratch, Header.LENGTH, len);
        sealAndSend(link, s, type, len, dseq);
    }

    /**
     * Seals the plaintext at {@code scratch[16, 16+len)} as a packet of data type {@code type} for
     * the link, remembers it for rescue, queues it.
     */
    private void sealAndSend(SendSide link, Session s, int type, int len, long dseq) {
        LinkRuntime view = link.link();
        java.net.InetSocketAddress peer = view.peer();
        if (view.transport() == null || peer == null) {
            ctx.counters.dropsNoLink = ctx.counters.dropsNoLink + 1;
            return;
        }
        long now = pace(view, len + Header.OVERHEAD);
        int index = view.index();
        long seq = s.sendCounters.getAndIncrement(index);
        ring(index).record(s, seq, dseq, type, scratch, Header.LENGTH, len);
        Header.write(scratch, 0, type, index, s.id, seq, Stamps.of(now), view.echo(now), dseq);
        PacketSealer sealer = sealers.get(s);
        int total = sealer.seal(index, seq, scratch, 0, Header.LENGTH, len);
        LinkSendQueue q = queue(link);
        if (q.isFull()) {
            q.flush(link, now);
        }
        PacketBuffer out = q.next();
        out.data().put(0, scratch, 0, total);
        out.span(0, total).address(peer);
        // A paced link's queue is flushed before any pacing wait (see pace), so what it holds
        // stays within the pacer's burst; sending it as one batch lets the transport coalesce it.
        q.commit(s);
    }

    private LinkSendQueue queue(SendSide link) {
        LinkSendQueue q = queues[link.index()];
        if (q == null) {
            q = new LinkSendQueue(BATCH, ctx.bufferCapacity);
            queues[link.index()] = q;
        }
        if (!q.listed()) {
            q.listed(true);
            queued[queuedLinks++] = link;
        }
        return q;
    }

    /** Sends what every link has queued. */
    private void flushAll() {
        if (queuedLinks == 0) {
            return;
        }
        long now = ctx.clock.nanoTime();
        try {
            for (int i = 0; i < queuedLinks; i++) {
                SendSide link = queued[i];
                queues[link.index()].flush(link, now);
            }
        } finally {
            // Also after a failed send: the list must be empty for the next batch.
            for (int i = 0; i < queuedLinks; i++) {
                queues[queued[i].index()].listed(false);
                queued[i] = null;
            }
            queuedLinks = 0;
        }
    }

    /** Waits, if the link's pacing asks for it, until {@code bytes} may leave; returns the time then. */
    private long pace(LinkRuntime link, int bytes) {
        Pacer p = pacers[link.index()];
        if (p == null) {
            p = new Pacer();
            pacers[link.index()] = p;
        }
        long rate = Pacer.rateBitsPerSecond(link);
        long now = ctx.clock.nanoTime();
        long wait;
        while ((wait = p.delayNanos(bytes, rate, now)) > 0 && ctx.running) {
            if (wait > Pacer.MAX_MEASURED_WAIT_NANOS && !Pacer.configured(link)) {
                // A measured rate this low is more likely stale than true: send now.
                break;
            }
            // What is queued for other links must not wait for this one's pacing.
            flushAll();
            LockSupport.parkNanos(wait);
            now = ctx.clock.nanoTime();
        }
        return now;
    }

    private RescueRing ring(int index) {
        RescueRing r = rings[index];
        if (r == null) {
            r = new RescueRing(RESCUE_SLOTS, ctx.mtu + TunnelBuilder.ETHERNET_HEADER);
            rings[index] = r;
        }
        return r;
    }

    /** Sends again, on surviving links, what suspect links sent and their peer has not acknowledged. */
    private void rescueIfAsked(LinkArray set, Session s) {
        for (int i = 0, n = set.size(); i < n; i++) {
            LinkRuntime link = set.link(i);
            int asked = link.rescueRequests();
            if (asked != rescuesSeen[link.index()]) {
                rescuesSeen[link.index()] = asked;
                rescue(set.sendSide(i), set, s);
            }
        }
    }

    private void rescue(SendSide from, LinkArray set, Session s) {
        RescueRing r = rings[from.index()];
        if (r == null) {
            return;
        }
        long acked = from.link().ackedSequence(s);
        long rescued = 0;
        for (int k = 0, n = r.size(); k < n; k++) {
            int slot = r.slot(k);
            if (r.session(slot) != s || r.linkSequence(slot) <= acked) {
                continue;
            }
            int len = r.length(slot);
            int chosen = scheduler.select(set, len + Header.OVERHEAD, targets);
            SendSide to = null;
            for (int t = 0; t < chosen; t++) {
                if (set.sendSide(targets[t]) != from) {
                    to = set.sendSide(targets[t]);
                    break;
                }
            }
            if (to == null) {
                break;
            }
            System.arraycopy(r.array(), r.offset(slot), scratch, Header.LENGTH, len);
            sealAndSend(to, s, r.type(slot), len, r.dataSequence(slot));
            rescued++;
        }
        r.clear();
        if (rescued > 0) {
            from.rescued(rescued);
        }
    }

    /**
     * Answers an oversize packet with ICMP(v6) "packet too big" into the device, at a limited rate.
     * The answer is built in arrays of its own size, so no packet length can overrun them, and the
     * pooled buffer is taken only once there is an answer to hand on.
     */
    private void answerTooBig(PacketBuffer b) {
        // Only the packet's head is quoted: an answer never holds more of it than MAX_ANSWER.
        int len = Math.min(b.length(), tooBigQuote.length);
        b.data().get(b.offset(), tooBigQuote, 0, len);
        int n = PacketTooBig.write(tooBigQuote, 0, len, ctx.effectiveMtu, tooBigAnswer, 0, tooBigAnswer.length);
        if (n == 0) {
            return;
        }
        TunnelCounters c = ctx.counters;
        if (!tooBigLimiter.tryAcquire(ctx.clock.nanoTime())) {
            c.tooBigSuppressed = c.tooBigSuppressed + 1;
            return;
        }
        PacketBuffer answer = ctx.pool.acquire();
        if (answer == null) {
            ctx.counters.countNoBuffer();
            return;
        }
        PacketMeta.of(answer).markLocal();
        answer.data().put(TunnelContext.HEADROOM, tooBigAnswer, 0, n);
        answer.span(TunnelContext.HEADROOM, n);
        if (!ctx.handToDevice(answer)) {
            ctx.pool.release(answer);
        }
    }
}
