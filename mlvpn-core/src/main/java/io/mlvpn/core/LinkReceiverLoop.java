package io.mlvpn.core;

import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.buffer.PacketMeta;
import io.mlvpn.core.crypto.ReplayWindow;
import io.mlvpn.core.inner.PartialChecksums;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.ReceiveSide;
import io.mlvpn.core.loop.LogRateLimiter;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.core.wire.ReceiveReport;
import io.mlvpn.core.wire.TruncatedCounter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link's receiver thread: receives datagrams, checks, authenticates and opens them, updates
 * the link's measurements, and hands data packets to the device writer. Owns its transport's
 * receive side, its openers, its buffers and the link's receive windows in every session, and
 * changes the link only through its {@link ReceiveSide}, which the timer handed it.
 */
final class LinkReceiverLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LinkReceiverLoop.class);
    /** Datagrams per receive call: what a batching transport (recvmmsg) gains most from. */
    private static final int BATCH = 32;

    private final TunnelContext ctx;
    private final ReceiveSide side;
    /** The link, read-only; {@link #side} changes it. */
    private final LinkRuntime link;
    private final DatagramTransport transport;
    private final HandshakeHandler handshakes;
    private final SealerCache openers = new SealerCache(false);
    private final PacketBatch batch = new PacketBatch(BATCH);
    private final PacketBuffer[] kept = new PacketBuffer[BATCH];
    private final byte[] scratch;
    private final EngineErrors errors;
    private final SenderOwners senders;
    private final LogRateLimiter takeoverLog = new LogRateLimiter();
    /** The sending link whose source this link's peer address follows; -1 until one is owned. */
    private int boundSender = -1;
    /** The plaintext length of the datagram {@link #acceptable} opened last. */
    private int plain;

    LinkReceiverLoop(TunnelContext ctx, ReceiveSide side, DatagramTransport transport, HandshakeHandler handshakes,
            SenderOwners senders) {
        this.ctx = ctx;
        this.senders = senders;
        this.side = side;
        this.link = side.link();
        this.transport = transport;
        this.handshakes = handshakes;
        this.scratch = new byte[ctx.bufferCapacity];
        this.errors = new EngineErrors(log, "link " + link.name() + " receiver", ctx);
    }

    /**
     * Runs until the tunnel stops or the link's transport is replaced. A datagram whose handling
     * throws is dropped, counted and logged by {@link EngineErrors}; a receive call that throws is
     * retried 1 ms later, and after {@link EngineErrors#GIVE_UP_STREAK} failures in a row it is
     * reported as a socket failure, as an I/O error is, so the timer reopens the link's socket.
     */
    @Override
    public void run() {
        try {
            while (ctx.running && link.transport() == transport) {
                if (!refill()) {
                    ctx.counters.countNoBuffer();
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                int n;
                try {
                    n = transport.receive(batch);
                    errors.succeeded();
                } catch (RuntimeException e) {
                    if (errors.recordRepeated("receive failed", e)) {
                        side.socketFailed("receive keeps failing: " + e);
                        break;
                    }
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                if (n < 0) {
                    break;
                }
                int keep = 0;
                for (int i = 0; i < batch.size(); i++) {
                    PacketBuffer b = batch.get(i);
                    if (i >= n || !handleGuarded(b)) {
                        kept[keep++] = b;
                    }
                }
                batch.clear();
                for (int i = 0; i < keep; i++) {
                    batch.add(kept[i]);
                    kept[i] = null;
                }
            }
        } catch (IOException e) {
            if (ctx.running && link.transport() == transport) {
                side.socketFailed(e.toString());
                log.warn("link {}: receive failed: {}", link.name(), e.toString());
            }
        } finally {
            PacketBuffer b;
            while ((b = batch.removeLast()) != null) {
                ctx.pool.release(b);
            }
        }
    }

    /**
     * {@link #handle} with its unexpected exceptions counted: the datagram is dropped and its
     * buffer stays here (handle hands a buffer on only as its last step, so one that threw still
     * belongs to this loop).
     */
    private boolean handleGuarded(PacketBuffer b) {
        try {
            return handle(b);
        } catch (RuntimeException e) {
            errors.record("datagram dropped", e);
            return false;
        }
    }

    private boolean refill() {
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).clear();
        }
        while (!batch.isFull()) {
            PacketBuffer b = ctx.pool.acquire();
            if (b == null) {
                break;
            }
            batch.add(b.clear());
        }
        return !batch.isEmpty();
    }

    /** Processes one datagram; true when the buffer was handed on and must not be reused here. */
    private boolean handle(PacketBuffer b) {
        int len = b.length();
        InetSocketAddress source = b.address();
        if (len > scratch.length) {
            side.counters().dropsMalformed.incrementAndGet();
            return false;
        }
        b.data().get(b.offset(), scratch, 0, len);
        if (Header.check(scratch, 0, len) != Header.OK) {
            side.counters().dropsMalformed.incrementAndGet();
            return false;
        }
        int type = Header.type(scratch, 0);
        if (PacketType.isHandshake(type)) {
            handshakes.onHandshake(side, transport, scratch, len, source);
            return false;
        }
        long now = ctx.clock.nanoTime();
        Session s = ctx.sessions.lookup(Header.sessionId(scratch, 0), now);
        if (s == null) {
            side.counters().dropsAuth.incrementAndGet();
            return false;
        }
        int sender = Header.linkId(scratch, 0);
        if (sender > Header.MAX_LINK_ID) {
            side.counters().dropsMalformed.incrementAndGet();
            return false;
        }
        long seq = acceptable(s, sender, len, now);
        if (seq < 0) {
            return false;
        }
        side.largestDatagram(len, now);
        if (ctx.sessions.confirm(s, now)) {
            // Server: the client took our answer and sends under the session; now it is established.
            ctx.counters.handshakes.incrementAndGet();
        }
        if (!ctx.client && followsSender(sender)) {
            followPeer(source);
        }
        side.received(s, ctx.sessions.current(), seq, len, Header.stamp(scratch, 0), Header.echo(scratch, 0), now);
        switch (type) {
            case PacketType.DATA:
                side.dataArrived();
                return deliver(b, s, plain);
            case PacketType.DATA_PARTIAL_CHECKSUM:
                side.dataArrived();
                return deliverPartial(b, s, plain);
            case PacketType.KEEPALIVE:
                if (plain >= ReceiveReport.LENGTH
                        && ReceiveReport.packetsReceivedLow(scratch, Header.LENGTH) != 0) {
                    long highest = TruncatedCounter.expand(s.sendCounters.get(link.index()) - 1,
                            ReceiveReport.highestSequenceLow(scratch, Header.LENGTH));
                    side.report(s, highest, ReceiveReport.packetsReceivedLow(scratch, Header.LENGTH),
                            ReceiveReport.bytesReceived(scratch, Header.LENGTH), now);
                }
                if (plain >= ReceiveReport.EXTENDED_LENGTH) {
                    side.peerReportedSize((int) Math.min(Integer.MAX_VALUE,
                            ReceiveReport.largestDatagram(scratch, Header.LENGTH)));
                }
                if ((Header.word(scratch, 0) & 1) != 0) {
                    side.replyRequested();
                }
                return false;
            case PacketType.DISCONNECT:
                side.peerDisconnected();
                return false;
            default:
                side.counters().dropsMalformed.incrementAndGet();
                return false;
        }
    }

    /**
     * Authenticates the datagram in {@code scratch} from the peer's sending link {@code sender} and
     * checks it against that sending link's replay window, which only the receiving link that owns
     * it (see {@link SenderOwners}) keeps: here, a copy of a datagram another port accepted is a
     * replay, and one of a sending link owned elsewhere is dropped unless it completes the
     * evidence for a takeover. Leaves the plaintext length in {@link #plain}.
     *
     * @return the datagram's full sequence, or -1 when it is dropped (counted)
     */
    private long acceptable(Session s, int sender, int len, long now) {
        SenderWindows view = s.view(link.index());
        int owner = senders.owner(sender);
        boolean mine = owner == link.index() || owner == SenderOwners.NONE;
        long low = Header.sequenceLow(scratch, 0);
        long seq;
        long ownerHighest = -1;
        ReplayWindow window = null;
        if (mine) {
            // Made only once a datagram authenticates: junk cannot make windows for every link id.
            window = view.existingWindow(sender);
            long floor = view.floor(sender);
            seq = TruncatedCounter.expand(Math.max(window == null ? -1 : window.highest(), floor), low);
            if (seq <= floor || (window != null ? !window.mayAccept(seq) : seq < 0)) {
                side.counters().dropsReplay.incrementAndGet();
                return -1;
            }
        } else {
            ownerHighest = s.highestAccepted.get(sender);
            seq = TruncatedCounter.expand(Math.max(ownerHighest, view.lastEvidence(sender)), low);
            if (seq <= ownerHighest) {
                // Its owner accepted this sequence, or might have: a copy sent to another port.
                side.counters().dropsReplay.incrementAndGet();
                return -1;
            }
        }
        plain = openers.get(s).open(sender, seq, scratch, 0, Header.LENGTH, len - Header.LENGTH);
        if (plain < 0) {
            side.counters().dropsAuth.incrementAndGet();
            return -1;
        }
        if (owner == SenderOwners.NONE && !senders.claim(sender, link.index())) {
            // Another receiving link claimed the sending link first: its datagrams go there.
            side.counters().dropsAuth.incrementAndGet();
            return -1;
        }
        if (!mine) {
            long silent = now - s.lastAcceptedNanos.get(sender);
            if (!view.evidence(sender, seq, ownerHighest, silent) || !senders.takeOver(sender, owner, link.index())) {
                side.counters().dropsAuth.incrementAndGet();
                return -1;
            }
            long floor = s.highestAccepted.get(sender);
            view.tookOver(sender, floor);
            window = view.window(sender);
            long held = takeoverLog.permit(ctx.clock.nanoTime());
            if (held >= 0) {
                log.info("link {}: now receives the peer's link {} (its datagrams arrive here;"
                        + " {} similar lines suppressed)", link.name(), sender, held);
            }
            if (seq <= floor) {
                side.counters().dropsReplay.incrementAndGet();
                return -1;
            }
        }
        if (window == null) {
            window = view.window(sender);
        }
        if (!window.accept(seq)) {
            side.counters().dropsReplay.incrementAndGet();
            return -1;
        }
        s.accepted(sender, seq, now);
        return seq;
    }

    /**
     * Whether this (server) link follows the source of a datagram from sending link {@code sender},
     * which it owns: only for one sending link, the first it owns, or the next once it lost that
     * one. Several sending links can share a receiving link; its single peer address follows one.
     */
    private boolean followsSender(int sender) {
        int bound = boundSender;
        if (bound == sender) {
            return true;
        }
        if (bound < 0 || senders.owner(bound) != link.index()) {
            boundSender = sender;
            return true;
        }
        return false;
    }

    private boolean deliver(PacketBuffer b, Session s, int plain) {
        return copyPlaintext(b, s, plain) && ctx.handToDevice(b);
    }

    /** Puts the opened packet into {@code b} the way the device writer takes it; false when empty. */
    private boolean copyPlaintext(PacketBuffer b, Session s, int plain) {
        if (plain == 0) {
            return false;
        }
        b.clear();
        b.data().put(0, scratch, 0, Header.LENGTH);
        PacketMeta.of(b).markPeerData((int) s.lineage);
        b.data().put(TunnelContext.HEADROOM, scratch, Header.LENGTH, plain);
        b.span(TunnelContext.HEADROOM, plain);
        return true;
    }

    /**
     * Delivers a packet whose transport checksum the peer left partial: flagged as such for a
     * device that takes partial checksums, completed here for any other. One that cannot be
     * partial (not TCP or UDP in IPv4 or IPv6, or a tap device's frame) is malformed.
     */
    private boolean deliverPartial(PacketBuffer b, Session s, int plain) {
        PacketDevice device = ctx.device;
        if (device.type() != DeviceType.TUN || !copyPlaintext(b, s, plain)
                || !PartialChecksums.received(b, device.partialChecksums())) {
            side.counters().dropsMalformed.incrementAndGet();
            return false;
        }
        return ctx.handToDevice(b);
    }

    private void followPeer(InetSocketAddress source) {
        if (side.followPeer(source)) {
            log.info("link {}: peer address is now {}", link.name(), source);
        }
    }
}
