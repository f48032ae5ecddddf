package io.mlvpn.core;

import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.crypto.ReplayWindow;
import io.mlvpn.core.inner.PartialChecksums;
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
 * receive side, its openers, its buffers and the link's receive windows in every session.
 */
final class LinkReceiverLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LinkReceiverLoop.class);
    /** Datagrams per receive call: what a batching transport (recvmmsg) gains most from. */
    private static final int BATCH = 32;

    private final TunnelContext ctx;
    private final LinkRuntime link;
    private final DatagramTransport transport;
    private final HandshakeHandler handshakes;
    private final SealerCache openers = new SealerCache(false);
    private final PacketBatch batch = new PacketBatch(BATCH);
    private final PacketBuffer[] kept = new PacketBuffer[BATCH];
    private final byte[] scratch;

    LinkReceiverLoop(TunnelContext ctx, LinkRuntime link, DatagramTransport transport, HandshakeHandler handshakes) {
        this.ctx = ctx;
        this.link = link;
        this.transport = transport;
        this.handshakes = handshakes;
        this.scratch = new byte[ctx.bufferCapacity];
    }

    @Override
    public void run() {
        try {
            while (ctx.running && link.transport == transport) {
                if (!refill()) {
                    ctx.counters.dropsNoBuffer = ctx.counters.dropsNoBuffer + 1;
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                int n = transport.receive(batch);
                if (n < 0) {
                    break;
                }
                int keep = 0;
                for (int i = 0; i < batch.size(); i++) {
                    PacketBuffer b = batch.get(i);
                    if (i >= n || !handle(b)) {
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
            if (ctx.running && link.transport == transport) {
                link.socketFailure = e.toString();
                log.warn("link {}: receive failed: {}", link.name(), e.toString());
            }
        } finally {
            PacketBuffer b;
            while ((b = batch.removeLast()) != null) {
                ctx.pool.release(b);
            }
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
            link.dropsMalformed = link.dropsMalformed + 1;
            return false;
        }
        b.data().get(b.offset(), scratch, 0, len);
        if (Header.check(scratch, 0, len) != Header.OK) {
            link.dropsMalformed = link.dropsMalformed + 1;
            return false;
        }
        int type = Header.type(scratch, 0);
        if (PacketType.isHandshake(type)) {
            handshakes.onHandshake(link, transport, scratch, len, source);
            return false;
        }
        long now = ctx.clock.nanoTime();
        Session s = ctx.sessions.lookup(Header.sessionId(scratch, 0), now);
        if (s == null) {
            link.dropsAuth = link.dropsAuth + 1;
            return false;
        }
        int peerLinkId = Header.linkId(scratch, 0);
        int bound = s.peerLinkIds[link.index];
        if (bound >= 0 && bound != peerLinkId) {
            link.dropsAuth = link.dropsAuth + 1;
            return false;
        }
        ReplayWindow window = s.window(link.index);
        long seq = TruncatedCounter.expand(window.highest(), Header.sequenceLow(scratch, 0));
        if (!window.mayAccept(seq)) {
            link.dropsReplay = link.dropsReplay + 1;
            return false;
        }
        PacketSealer opener = openers.get(s);
        int plain = opener.open(peerLinkId, seq, scratch, 0, Header.LENGTH, len - Header.LENGTH);
        if (plain < 0) {
            link.dropsAuth = link.dropsAuth + 1;
            return false;
        }
        if (!window.accept(seq)) {
            link.dropsReplay = link.dropsReplay + 1;
            return false;
        }
        s.peerLinkIds[link.index] = peerLinkId;
        link.largestReceived.record(len, now);
        ctx.sessions.confirm(s, now);
        if (!ctx.client) {
            followPeer(source);
        }
        link.received(s, ctx.sessions.current(), seq, len, Header.stamp(scratch, 0), Header.echo(scratch, 0), now);
        switch (type) {
            case PacketType.DATA:
                link.rxDataSinceAck = true;
                return deliver(b, s, plain);
            case PacketType.DATA_PARTIAL_CHECKSUM:
                link.rxDataSinceAck = true;
                return deliverPartial(b, s, plain);
            case PacketType.KEEPALIVE:
                if (plain >= ReceiveReport.LENGTH
                        && ReceiveReport.packetsReceivedLow(scratch, Header.LENGTH) != 0) {
                    long highest = TruncatedCounter.expand(s.sendCounters.get(link.index) - 1,
                            ReceiveReport.highestSequenceLow(scratch, Header.LENGTH));
                    link.report(s, highest, ReceiveReport.packetsReceivedLow(scratch, Header.LENGTH),
                            ReceiveReport.bytesReceived(scratch, Header.LENGTH), now);
                }
                if (plain >= ReceiveReport.EXTENDED_LENGTH) {
                    link.peerSizes.post((int) Math.min(Integer.MAX_VALUE,
                            ReceiveReport.largestDatagram(scratch, Header.LENGTH)));
                }
                if ((Header.word(scratch, 0) & 1) != 0) {
                    link.replyRequested = true;
                }
                return false;
            case PacketType.DISCONNECT:
                link.peerDisconnected = true;
                return false;
            default:
                link.dropsMalformed = link.dropsMalformed + 1;
                return false;
        }
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
        b.data().putInt(TunnelContext.LINEAGE_OFFSET, (int) s.lineage);
        b.data().put(TunnelContext.KIND_OFFSET, TunnelContext.KIND_PEER_DATA);
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
            link.dropsMalformed = link.dropsMalformed + 1;
            return false;
        }
        return ctx.handToDevice(b);
    }

    private void followPeer(InetSocketAddress source) {
        InetSocketAddress current = link.peer;
        if (source != null && !source.equals(current)) {
            link.peer = source;
            log.info("link {}: peer address is now {}", link.name(), source);
        }
    }
}
