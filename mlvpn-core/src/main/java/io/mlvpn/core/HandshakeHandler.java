package io.mlvpn.core;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.session.HandshakeInitiator;
import io.mlvpn.core.session.HandshakeKey;
import io.mlvpn.core.session.HandshakeResponder;
import io.mlvpn.core.session.SessionKeys;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.core.wire.Stamps;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel's side of the handshake (docs/protocol.md, section 5): the client's offers and their
 * answers, the server's answers to offers. Handshakes are rare, so this class serialises them
 * with its lock; it is called from receiver threads (answers, offers) and the timer (new offers).
 */
final class HandshakeHandler {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    /** An offer that got no answer for this long is replaced by a fresh one. */
    static final long OFFER_LIFETIME_NANOS = 5_000_000_000L;
    private static final long ERROR_LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final TunnelContext ctx;
    private final SecureRandom random;
    private final HandshakeInitiator initiator;
    private final HandshakeResponder responder;
    private final byte[] out = new byte[128];
    private final PacketBuffer outBuffer = new PacketBuffer(128);
    private final PacketBatch outBatch = new PacketBatch(1);
    private long lineages;
    private boolean offerActive;
    private boolean offerRekey;
    private long offerStartedNanos;
    private String lastError;
    private long lastErrorLoggedNanos;
    /** Set when a session was just established: the timer sends a keepalive on every link at once. */
    volatile boolean keepaliveNow;

    HandshakeHandler(TunnelContext ctx, HandshakeKey key, SecureRandom random) {
        this.ctx = ctx;
        this.random = random;
        if (ctx.client) {
            this.initiator = new HandshakeInitiator(key, ctx.config.cipher(), random);
            this.responder = null;
        } else {
            this.initiator = null;
            this.responder = new HandshakeResponder(key, ctx.config.cipher(), random, ctx.clock);
        }
    }

    /** The last handshake error, or null. */
    synchronized String lastError() {
        return lastError;
    }

    // ---- client, timer thread ----

    /** True when an offer is out and younger than its lifetime. */
    synchronized boolean offerPending(long nowNanos) {
        return offerActive && nowNanos - offerStartedNanos < OFFER_LIFETIME_NANOS;
    }

    /** True when the pending offer (if any) is a rekey. */
    synchronized boolean offerIsRekey() {
        return offerActive && offerRekey;
    }

    /** Starts a new offer with a fresh ephemeral key and session id. */
    synchronized void begin(long nowNanos, boolean rekey) {
        int id;
        Session cur = ctx.sessions.current();
        do {
            id = random.nextInt(0xFFFF) + 1;
        } while (cur != null && cur.id == id);
        initiator.begin(id, rekey, ctx.clock.currentTimeMillis() * 1000L);
        offerActive = true;
        offerRekey = rekey;
        offerStartedNanos = nowNanos;
    }

    /** Writes the pending offer for one link; returns its length, or 0 when no offer is out. */
    synchronized int writeInit(byte[] b, LinkRuntime link, long nowNanos) {
        if (!offerActive || initiator.pendingSessionId() == 0) {
            // The offer was answered (on another link) since the caller decided to send it.
            return 0;
        }
        return initiator.writeInit(b, 0, link.index, 0, Stamps.of(nowNanos), Header.NO_ECHO);
    }

    // ---- receiver threads ----

    void onHandshake(LinkRuntime link, DatagramTransport transport, byte[] packet, int length,
            InetSocketAddress source) {
        int type = Header.type(packet, 0);
        if (ctx.client && (type == PacketType.HANDSHAKE_RESPONSE || type == PacketType.HANDSHAKE_REJECT)) {
            onAnswer(link, packet, length);
        } else if (!ctx.client && type == PacketType.HANDSHAKE_INIT && source != null) {
            onOffer(link, transport, packet, length, source);
        } else {
            link.counters.dropsMalformed.incrementAndGet();
        }
    }

    private synchronized void onAnswer(LinkRuntime link, byte[] packet, int length) {
        HandshakeInitiator.Outcome o = initiator.complete(packet, 0, length);
        long now = ctx.clock.nanoTime();
        switch (o.status()) {
            case ESTABLISHED: {
                SessionKeys keys = o.keys();
                Session cur = ctx.sessions.current();
                long lineage = offerRekey && cur != null ? cur.lineage : ++lineages;
                Session s = new Session(keys, lineage, now);
                keys.destroy();
                ctx.sessions.install(s, now);
                offerActive = false;
                lastError = null;
                ctx.counters.handshakes.incrementAndGet();
                keepaliveNow = true;
                log.info("session {} established over link {}{}", s.id, link.name(), offerRekey ? " (rekey)" : "");
                break;
            }
            case REJECTED_CIPHER:
                error(now, "cipher mismatch: server uses " + o.peerCipher().configName() + ", we use "
                        + ctx.config.cipher().configName());
                break;
            default:
                Session cur = ctx.sessions.current();
                if (cur == null || Header.sessionId(packet, 0) != cur.id) {
                    // Answers to the offer just completed arrive on the other links too: not an attack.
                    link.counters.dropsAuth.incrementAndGet();
                }
                break;
        }
    }

    private synchronized void onOffer(LinkRuntime link, DatagramTransport transport, byte[] packet, int length,
            InetSocketAddress source) {
        long now = ctx.clock.nanoTime();
        HandshakeResponder.Reply r = responder.respond(packet, 0, length, source.getAddress(), out, 0, link.index,
                0, Stamps.of(now), Header.NO_ECHO);
        switch (r.status()) {
            case ACCEPTED: {
                SessionKeys keys = r.keys();
                Session cur = ctx.sessions.current();
                long lineage = keys.rekey() && cur != null ? cur.lineage : ++lineages;
                ctx.sessions.offer(new Session(keys, lineage, now));
                link.peer = source;
                if (log.isDebugEnabled()) {
                    log.debug("link {}: answered handshake for session {} from {}", link.name(), keys.sessionId(),
                            source);
                }
                send(link, transport, r.length(), source);
                break;
            }
            case RETRANSMIT:
                send(link, transport, r.length(), source);
                break;
            case REJECTED_CIPHER:
                error(now, "cipher mismatch: client " + source + " uses " + r.peerCipher().configName()
                        + ", we use " + ctx.config.cipher().configName());
                send(link, transport, r.length(), source);
                break;
            case DROPPED_REPLAY:
            case DROPPED_RATE:
                link.counters.dropsReplay.incrementAndGet();
                break;
            case DROPPED_MALFORMED:
                link.counters.dropsMalformed.incrementAndGet();
                break;
            default:
                link.counters.dropsAuth.incrementAndGet();
                // Said once a minute at most: a wrong key on the client is the usual cause, and an
                // operator must see it without the packets making the log a flood.
                error(now, "a handshake from " + source.getAddress().getHostAddress()
                        + " failed authentication: do both ends use the same key (key.file or password)?");
                break;
        }
    }

    private void send(LinkRuntime link, DatagramTransport transport, int length, InetSocketAddress to) {
        if (length <= 0) {
            return;
        }
        outBuffer.clear();
        outBuffer.data().put(0, out, 0, length);
        outBuffer.span(0, length).address(to);
        outBatch.clear();
        outBatch.add(outBuffer);
        try {
            if (transport.send(outBatch) > 0) {
                link.sent(null, length);
            }
        } catch (IOException e) {
            link.socketFailure = e.toString();
        }
    }

    private void error(long now, String message) {
        if (!message.equals(lastError) || now - lastErrorLoggedNanos > ERROR_LOG_INTERVAL_NANOS) {
            log.error("handshake failed: {}", message);
            lastErrorLoggedNanos = now;
        }
        lastError = message;
    }
}
