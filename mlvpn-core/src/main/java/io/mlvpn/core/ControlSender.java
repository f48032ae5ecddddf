package io.mlvpn.core;

import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.core.wire.ReceiveReport;
import io.mlvpn.core.wire.Stamps;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Builds and sends the tunnel's own packets: keepalives with receive reports, disconnects and
 * handshake offers. Owned by the timer thread (and by the closing thread once the timer stopped).
 */
final class ControlSender {
    private final TunnelContext ctx;
    private final HandshakeHandler handshakes;
    private final SealerCache sealers = new SealerCache(true);
    private final byte[] scratch = new byte[256];
    private final PacketBuffer buffer = new PacketBuffer(256);
    private final PacketBatch batch = new PacketBatch(1);

    ControlSender(TunnelContext ctx, HandshakeHandler handshakes) {
        this.ctx = ctx;
        this.handshakes = handshakes;
    }

    /** Sends a keepalive under {@code s}; {@code replyRequested} asks the peer to answer at once. */
    boolean keepalive(LinkRuntime link, Session s, boolean replyRequested, long nowNanos) {
        Session rs = link.reportSession;
        long highest = -1;
        long packets = 0;
        long bytes = 0;
        if (rs == s) {
            highest = link.reportHighest;
            packets = link.reportPackets;
            bytes = link.reportBytes;
        }
        ReceiveReport.write(scratch, Header.LENGTH, highest, packets, bytes);
        return sealed(link, s, PacketType.KEEPALIVE, replyRequested ? 1 : 0, ReceiveReport.LENGTH, nowNanos);
    }

    /** Tells the peer this link is closing. */
    boolean disconnect(LinkRuntime link, Session s, long nowNanos) {
        return sealed(link, s, PacketType.DISCONNECT, 0, 0, nowNanos);
    }

    /** Sends the pending handshake offer on the link. */
    boolean offer(LinkRuntime link, long nowNanos) {
        int n = handshakes.writeInit(scratch, link, nowNanos);
        return send(link, null, n);
    }

    private boolean sealed(LinkRuntime link, Session s, int type, long word, int payload, long nowNanos) {
        long seq = s.sendCounters.getAndIncrement(link.index);
        Header.write(scratch, 0, type, link.index, s.id, seq, Stamps.of(nowNanos), link.echo(nowNanos), word);
        PacketSealer sealer = sealers.get(s);
        int n = sealer.seal(link.index, seq, scratch, 0, Header.LENGTH, payload);
        return send(link, s, n);
    }

    private boolean send(LinkRuntime link, Session s, int length) {
        DatagramTransport t = link.transport;
        InetSocketAddress peer = link.peer;
        if (t == null || peer == null || length <= 0) {
            return false;
        }
        buffer.clear();
        buffer.data().put(0, scratch, 0, length);
        buffer.span(0, length).address(peer);
        batch.clear();
        batch.add(buffer);
        try {
            if (t.send(batch) > 0) {
                link.sent(s, length);
                return true;
            }
        } catch (IOException e) {
            link.socketFailure = e.toString();
        }
        link.counters.txRefused.incrementAndGet();
        return false;
    }
}
