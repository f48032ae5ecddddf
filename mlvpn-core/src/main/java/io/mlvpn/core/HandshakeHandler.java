package io.mlvpn.core;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.ReceiveSide;
import io.mlvpn.core.loop.LogRateLimiter;
import io.mlvpn.core.session.HandshakeInitiator;
import io.mlvpn.core.session.HandshakeKey;
import io.mlvpn.core.session.HandshakeRateLimiter;
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
 * Every line a datagram can cause is logged after the lock is released, at most once a minute per
 * kind, saying how many were held back (docs/operations.md, "Handshake").
 */
final class HandshakeHandler {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    /** An offer that got no answer for this long is replaced by a fresh one. */
    static final long OFFER_LIFETIME_NANOS = 5_000_000_000L;
    /**
     * After a reload with a new key, how long a server still takes handshakes under the old one,
     * so the clients can be switched after it (docs/operations.md, "Changing the key").
     */
    static final long KEY_GRACE_NANOS = 3_600_000_000_000L;
    /** Offers in a row without any answer after which the client says what may be wrong. */
    static final int UNANSWERED_OFFERS_WARNING = 3;
    private static final int HANDSHAKE_VERSION = HandshakeResponder.HANDSHAKE_VERSION;
    private static final int HANDSHAKE_LOAD_THRESHOLD = HandshakeResponder.LOAD_THRESHOLD;

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
    private boolean offerAnswered;
    private int unansweredOffers;
    // One limiter per kind of line, so a flood of one kind cannot hide another.
    private final LogRateLimiter authLog = new LogRateLimiter();
    private final LogRateLimiter malformedLog = new LogRateLimiter();
    private final LogRateLimiter rateLog = new LogRateLimiter();
    private final LogRateLimiter staleLog = new LogRateLimiter();
    private final LogRateLimiter resendLog = new LogRateLimiter();
    private final LogRateLimiter cookieLog = new LogRateLimiter();
    private final LogRateLimiter versionLog = new LogRateLimiter();
    private final LogRateLimiter cipherLog = new LogRateLimiter();
    private final LogRateLimiter noAnswerLog = new LogRateLimiter();
    private final LogRateLimiter internalErrorLog = new LogRateLimiter();
    private final LogRateLimiter oldKeyLog = new LogRateLimiter();
    /** Set when a session was just established: the timer sends a keepalive on every link at once. */
    volatile boolean keepaliveNow;

    HandshakeHandler(TunnelContext ctx, HandshakeKey key, SecureRandom random) {
        this.ctx = ctx;
        this.random = random;
        if (ctx.client) {
            this.initiator = new HandshakeInitiator(key, ctx.config.cipher(), random, ctx.clock);
            this.responder = null;
        } else {
            this.initiator = null;
            this.responder = new HandshakeResponder(key, ctx.config.cipher(), random, ctx.clock);
        }
    }

    /**
     * A reload changed the key: new handshakes use {@code next}. A client drops its pending offer
     * (the timer makes a new one when due); a server still accepts the old key for
     * {@link #KEY_GRACE_NANOS}. The sessions in place keep their keys until their next rekey.
     */
    void rotateKey(HandshakeKey next) {
        synchronized (this) {
            if (ctx.client) {
                initiator.rotate(next);
                offerActive = false;
            } else {
                responder.rotate(next, KEY_GRACE_NANOS);
            }
        }
        log.info(ctx.client ? "key changed: the next handshake uses the new key (the server must have it already)"
                : "key changed: new handshakes use the new key; the previous one is still accepted for {} minutes",
                KEY_GRACE_NANOS / 60_000_000_000L);
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

    /**
     * Starts a new offer with a fresh ephemeral key and session id; after
     * {@value #UNANSWERED_OFFERS_WARNING} offers in a row that got no authentic answer at all, says
     * (once a minute) what may be wrong, an older server among it, which drops our INITs unseen.
     */
    void begin(long nowNanos, boolean rekey) {
        int unanswered = beginLocked(nowNanos, rekey);
        if (unanswered >= UNANSWERED_OFFERS_WARNING) {
            long suppressed = noAnswerLog.permit(nowNanos);
            if (suppressed >= 0) {
                log.warn("no answer to {} handshake offers in a row: check the server's address and port, that"
                        + " both ends use the same key, and that the server speaks handshake {} (one built"
                        + " from commit 7cee88a or before drops these offers without a word: upgrade it)"
                        + " ({} similar suppressed)", unanswered, HANDSHAKE_VERSION, suppressed);
            }
        }
    }

    /** Starts the offer; returns the number of offers in a row before it that got no answer. */
    private synchronized int beginLocked(long nowNanos, boolean rekey) {
        if (offerActive && !offerAnswered) {
            unansweredOffers++;
        }
        offerAnswered = false;
        int id;
        Session cur = ctx.sessions.current();
        do {
            id = random.nextInt(0xFFFF) + 1;
        } while (cur != null && cur.id == id);
        initiator.begin(id, rekey, ctx.clock.currentTimeMillis() * 1000L);
        offerActive = true;
        offerRekey = rekey;
        offerStartedNanos = nowNanos;
        return unansweredOffers;
    }

    /** Writes the pending offer for one link; returns its length, or 0 when no offer is out. */
    synchronized int writeInit(byte[] b, LinkRuntime link, long nowNanos) {
        if (!offerActive || initiator.pendingSessionId() == 0) {
            // The offer was answered (on another link) since the caller decided to send it.
            return 0;
        }
        return initiator.writeInit(b, 0, link.index(), 0, Stamps.of(nowNanos), Header.NO_ECHO);
    }

    // ---- receiver threads ----

    void onHandshake(ReceiveSide side, DatagramTransport transport, byte[] packet, int length,
            InetSocketAddress source) {
        LinkRuntime link = side.link();
        try {
            int type = Header.type(packet, 0);
            if (ctx.client && (type == PacketType.HANDSHAKE_RESPONSE || type == PacketType.HANDSHAKE_REJECT
                    || type == PacketType.HANDSHAKE_COOKIE)) {
                onAnswer(side, transport, packet, length);
            } else if (!ctx.client && type == PacketType.HANDSHAKE_INIT && source != null) {
                onOffer(side, transport, packet, length, source);
            } else {
                side.counters().dropsMalformed.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // No datagram may end a receiver thread: count it, say so (rarely) and go on.
            side.counters().dropsMalformed.incrementAndGet();
            ctx.counters.countInternalError();
            long suppressed = internalErrorLog.permit(ctx.clock.nanoTime());
            if (suppressed >= 0) {
                log.error("link {}: a handshake datagram could not be processed ({} similar suppressed)",
                        link.name(), suppressed, e);
            }
        }
    }

    private void onAnswer(ReceiveSide side, DatagramTransport transport, byte[] packet, int length) {
        LinkRuntime link = side.link();
        HandshakeInitiator.Outcome o = answer(side, transport, packet, length);
        long now = ctx.clock.nanoTime();
        long suppressed;
        switch (o.status()) {
            case ESTABLISHED:
                log.info("session {} established over link {}{}", o.keys().sessionId(), link.name(),
                        o.keys().rekey() ? " (rekey)" : "");
                break;
            case REJECTED_CIPHER:
                suppressed = cipherLog.permit(now);
                if (suppressed >= 0) {
                    log.error("handshake failed: {} ({} similar suppressed)", o.reason(), suppressed);
                }
                break;
            case REJECTED_STALE:
                suppressed = staleLog.permit(now);
                if (suppressed >= 0) {
                    log.warn("link {}: handshake refused, {} ({} similar suppressed)", link.name(), o.reason(),
                            suppressed);
                }
                break;
            case COOKIE:
            case COOKIE_RETRY:
                suppressed = cookieLog.permit(now);
                if (suppressed >= 0) {
                    log.info("link {}: {}; the next offers carry it ({} similar suppressed)", link.name(),
                            o.reason(), suppressed);
                }
                break;
            default:
                break;
        }
    }

    /** The client's part under the lock: takes the answer, and offers again at once where it should. */
    private synchronized HandshakeInitiator.Outcome answer(ReceiveSide side, DatagramTransport transport,
            byte[] packet, int length) {
        LinkRuntime link = side.link();
        HandshakeInitiator.Outcome o = initiator.complete(packet, 0, length, link.index());
        long now = ctx.clock.nanoTime();
        if (o.status() != HandshakeInitiator.Outcome.Status.IGNORED) {
            offerAnswered = true;
            unansweredOffers = 0;
        }
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
                break;
            }
            case REJECTED_CIPHER:
                lastError = o.reason();
                break;
            case REJECTED_STALE:
                // Our clock is behind the server's last accepted offer: the initiator now stamps
                // above it, so a new offer at once gets through instead of waiting for the clock.
                beginLocked(now, offerRekey);
                offerAnswered = true;
                sendInit(side, transport, now);
                break;
            case COOKIE_RETRY:
                sendInit(side, transport, now);
                break;
            case COOKIE:
                break;
            default:
                Session cur = ctx.sessions.current();
                if (cur == null || Header.sessionId(packet, 0) != cur.id) {
                    side.counters().dropsAuth.incrementAndGet();
                } else {
                    // Answers naming the session just established, whose offer is gone: those to the
                    // same offer on the other links (not an attack), and the server's answers to
                    // copies of the offer someone replays to it.
                    ctx.counters.handshakeAnswersUnsolicited.incrementAndGet();
                }
                break;
        }
        return o;
    }

    private void sendInit(ReceiveSide side, DatagramTransport transport, long now) {
        LinkRuntime link = side.link();
        InetSocketAddress peer = link.peer();
        int n = writeInit(out, link, now);
        if (peer != null && n > 0) {
            send(side, transport, n, peer);
        }
    }

    private void onOffer(ReceiveSide side, DatagramTransport transport, byte[] packet, int length,
            InetSocketAddress source) {
        LinkRuntime link = side.link();
        long oldKey = responder.previousKeyHandshakes();
        HandshakeResponder.Reply r = offer(side, transport, packet, length, source);
        long now = ctx.clock.nanoTime();
        long suppressed;
        switch (r.status()) {
            case ACCEPTED:
                if (responder.previousKeyHandshakes() != oldKey) {
                    suppressed = oldKeyLog.permit(now);
                    if (suppressed >= 0) {
                        log.warn("link {}: {} still uses the previous key: change its key before the grace period"
                                + " ends ({} similar suppressed)", link.name(), source, suppressed);
                    }
                }
                if (log.isDebugEnabled()) {
                    log.debug("link {}: answered handshake for session {} from {}", link.name(),
                            r.keys().sessionId(), source);
                }
                break;
            case REJECTED_CIPHER:
                suppressed = cipherLog.permit(now);
                if (suppressed >= 0) {
                    CipherSuite theirs = r.peerCipher();
                    String message = "cipher mismatch: client " + source + " uses "
                            + (theirs != null ? theirs.configName()
                                    : "cipher id " + r.peerCipherId() + " (unknown to this version)")
                            + ", we use " + ctx.config.cipher().configName();
                    setLastError(message);
                    log.error("handshake failed: {} ({} similar suppressed)", message, suppressed);
                }
                break;
            case REJECTED_STALE:
            case DROPPED_REPLAY:
                suppressed = staleLog.permit(now);
                if (suppressed >= 0) {
                    log.warn("link {}: a handshake from {} was refused as stale: its offer is stamped {} us, not"
                            + " after the last accepted {} us (a replay, or the client's clock went back){}"
                            + " ({} similar suppressed)", link.name(), source, r.timestampMicros(),
                            r.lastAcceptedMicros(), r.status() == HandshakeResponder.Reply.Status.REJECTED_STALE
                                    ? "; told the sender" : "", suppressed);
                }
                break;
            case DROPPED_RESEND:
                suppressed = resendLog.permit(now);
                if (suppressed >= 0) {
                    log.warn("link {}: the handshake offer accepted last came again from {} less than {} ms after it"
                            + " was answered on this link: not answered (a replay of the client's offer; a real"
                            + " client sends it again later) ({} similar suppressed)", link.name(), source,
                            HandshakeResponder.RESEND_INTERVAL_NANOS / 1_000_000L, suppressed);
                }
                break;
            case COOKIE:
                suppressed = cookieLog.permit(now);
                if (suppressed >= 0) {
                    log.warn("link {}: under handshake load (more than {} fresh offers a second): offers without"
                            + " a valid cookie get a cookie reply, e.g. from {} ({} similar suppressed)",
                            link.name(), HANDSHAKE_LOAD_THRESHOLD, source, suppressed);
                }
                break;
            case DROPPED_RATE:
                suppressed = rateLog.permit(now);
                if (suppressed >= 0) {
                    log.warn("link {}: handshakes from {} exceed {} a second: dropped ({} similar suppressed)",
                            link.name(), source.getAddress().getHostAddress(),
                            HandshakeRateLimiter.DEFAULT_PER_SECOND, suppressed);
                }
                break;
            case DROPPED_VERSION:
                suppressed = versionLog.permit(now);
                if (suppressed >= 0) {
                    String message = "peer " + source + " speaks handshake " + r.peerVersion()
                            + (r.peerVersion() == 1 ? " (mlvpn-java up to commit 7cee88a)" : "")
                            + ", this end speaks handshake " + HANDSHAKE_VERSION
                            + ": upgrade the older end (docs/operations.md, \"Handshake\")";
                    setLastError(message);
                    log.error("handshake refused: {} ({} similar suppressed)", message, suppressed);
                }
                break;
            case DROPPED_MALFORMED:
                suppressed = malformedLog.permit(now);
                if (suppressed >= 0 && log.isDebugEnabled()) {
                    log.debug("link {}: malformed handshake from {} ({} similar suppressed)", link.name(), source,
                            suppressed);
                }
                break;
            case DROPPED_AUTH:
                // A wrong key on the client is the usual cause, and an operator must see it without
                // the datagrams, which anyone can send, making the log a flood.
                suppressed = authLog.permit(now);
                if (suppressed >= 0) {
                    String message = "a handshake from " + source.getAddress().getHostAddress()
                            + " failed authentication: do both ends use the same key (key.file or password)?";
                    setLastError(message);
                    log.error("handshake failed: {} ({} similar suppressed)", message, suppressed);
                }
                break;
            default:
                break;
        }
    }

    /** The server's part under the lock: answers the offer to its source; the link's peer stays. */
    private synchronized HandshakeResponder.Reply offer(ReceiveSide side, DatagramTransport transport,
            byte[] packet, int length, InetSocketAddress source) {
        LinkRuntime link = side.link();
        long now = ctx.clock.nanoTime();
        HandshakeResponder.Reply r = responder.respond(packet, 0, length, source, out, 0, link.index(), 0,
                Stamps.of(now), Header.NO_ECHO);
        switch (r.status()) {
            case ACCEPTED: {
                SessionKeys keys = r.keys();
                Session cur = ctx.sessions.current();
                long lineage = keys.rekey() && cur != null ? cur.lineage : ++lineages;
                ctx.sessions.offer(new Session(keys, lineage, now));
                // Not link.peer = source: an INIT proves nothing about its sender's address (it may
                // be a recording, fresh again after a restart); authenticated data moves the peer.
                break;
            }
            case DROPPED_REPLAY:
            case DROPPED_RATE:
            case REJECTED_STALE:
            case COOKIE:
                side.counters().dropsReplay.incrementAndGet();
                break;
            case DROPPED_RESEND:
                ctx.counters.handshakeResendsUnanswered.incrementAndGet();
                break;
            case DROPPED_MALFORMED:
            case DROPPED_VERSION:
                side.counters().dropsMalformed.incrementAndGet();
                break;
            case DROPPED_AUTH:
                side.counters().dropsAuth.incrementAndGet();
                break;
            default:
                break;
        }
        send(side, transport, r.length(), source);
        return r;
    }

    private void send(ReceiveSide side, DatagramTransport transport, int length, InetSocketAddress to) {
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
                side.sentHandshake(length);
                return;
            }
        } catch (IOException e) {
            side.socketFailed(e.toString());
        }
        side.counters().txRefused.incrementAndGet();
    }

    private synchronized void setLastError(String message) {
        lastError = message;
    }
}
