package io.mlvpn.core;

import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.TimerSide;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.core.wire.ReceiveReport;
import io.mlvpn.core.wire.Stamps;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Builds and sends the tunnel's own packets: keepalives with receive reports, disconnects and
 * handshake offers. Owned by the timer thread (and by the closing thread once the timer stopped),
 * so it sends through the links' {@link TimerSide}s.
 */
final class ControlSender {
    private final TunnelContext ctx;
    private final HandshakeHandler handshakes;
    private final SealerCache sealers = new SealerCache(true);
    private final byte[] scratch;
    private final PacketBuffer buffer;
    private final PacketBatch batch = new PacketBatch(1);

    ControlSender(TunnelContext ctx, HandshakeHandler handshakes) {
        this.ctx = ctx;
        this.handshakes = handshakes;
        // Room for a path-MTU probe as large as the largest datagram a link may carry.
        int capacity = Math.max(256, ctx.bufferCapacity);
        this.scratch = new byte[capacity];
        this.buffer = new PacketBuffer(capacity);
    }

    /** Sends a keepalive under {@code s}; {@code replyRequested} asks the peer to answer at once. */
    boolean keepalive(TimerSide link, Session s, boolean replyRequested, long nowNanos) {
        link.link().writeReport(scratch, Header.LENGTH, s, nowNanos);
        return sealed(link, s, PacketType.KEEPALIVE, replyRequested ? 1 : 0, ReceiveReport.EXTENDED_LENGTH,
                nowNanos);
    }

    /**
     * Sends a path-MTU probe: a keepalive asking for an answer, padded with zeros to a datagram of
     * exactly {@code size} bytes (docs/protocol.md, section 6).
     */
    boolean pathMtuProbe(TimerSide link, Session s, int size, long nowNanos) {
        int payload = size - Header.OVERHEAD;
        if (payload < ReceiveReport.EXTENDED_LENGTH || size > scratch.length) {
            return false;
        }
        java.util.Arrays.fill(scratch, Header.LENGTH + ReceiveReport.EXTENDED_LENGTH, Header.LENGTH + payload, (byte) 0);
        link.link().writeReport(scratch, Header.LENGTH, s, nowNanos);
        return sealed(link, s, PacketType.KEEPALIVE, 1, payload, nowNanos);
    }

    /** Tells the peer this link is closing. */
    boolean disconnect(TimerSide link, Session s, long nowNanos) {
        return sealed(link, s, PacketType.DISCONNECT, 0, 0, nowNanos);
    }

    /** Sends the pending handshake offer on the link. */
    boolean offer(TimerSide link, long nowNanos) {
        int n = handshakes.writeInit(scratch, link.link(), nowNanos);
        return send(link, null, n);
    }

    private boolean sealed(TimerSide link, Session s, int type, long word, int payload, long nowNanos) {
        LinkRuntime view = link.link();
        int index = view.index();
        long seq = s.sendCounters.getAndIncrement(index);
        Header.write(scratch, 0, type, index, s.id, seq, Stamps.of(nowNanos), view.echo(nowNanos), word);
        PacketSealer sealer = sealers.get(s);
        int n = sealer.seal(index, seq, scratch, 0, Header.LENGTH, payload);
        return send(link, s, n);
    }

    private boolean send(TimerSide link, Session s, int length) {
        DatagramTransport t = link.link().transport();
        InetSocketAddress peer = link.link().peer();
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
            link.socketFailed(e.toString());
        }
        link.sendRefused();
        return false;
    }
}
