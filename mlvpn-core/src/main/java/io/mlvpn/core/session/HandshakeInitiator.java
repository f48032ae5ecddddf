package io.mlvpn.core.session;

import static io.mlvpn.core.session.HandshakeFormat.COOKIE_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.FLAG_PARTIAL_CHECKSUMS;
import static io.mlvpn.core.session.HandshakeFormat.FLAG_REKEY;
import static io.mlvpn.core.session.HandshakeFormat.INIT_MAC2;
import static io.mlvpn.core.session.HandshakeFormat.INIT_SIGNED_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.INIT_VERSION;
import static io.mlvpn.core.session.HandshakeFormat.OFFER_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.PUBLIC_KEY_LENGTH;

import io.mlvpn.api.Clock;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The client side of the handshake (docs/protocol.md, section 5): {@link #begin} draws a fresh
 * ephemeral key pair for a new offer, {@link #writeInit} writes the offer's HANDSHAKE_INIT (the
 * same offer on every link, with each link's cookie in mac2 when the server asked for one), and
 * {@link #complete} takes the server's RESPONSE, REJECT or COOKIE, each accepted only when bound to
 * the pending offer.
 *
 * <p>One per tunnel. Not thread-safe: use it from one thread at a time (the tunnel's handshake
 * lock); hand the resulting {@link SessionKeys} to other threads.
 */
public final class HandshakeInitiator {
    /** Length of a HANDSHAKE_INIT on the wire, in bytes. */
    public static final int INIT_LENGTH = HandshakeFormat.INIT_LENGTH;
    /**
     * How long a cookie is used after it arrived: the server's secret lives 2 minutes and it takes
     * the one before too, so a cookie this young is always still good.
     */
    static final long COOKIE_LIFETIME_NANOS = CookieChecker.SECRET_LIFETIME_SECONDS * 1_000_000_000L;

    private HandshakeKey key;
    private HandshakeMac mac;
    private CookieReplyCipher cookieCipher;
    private final CipherSuite cipher;
    private final Clock clock;
    private final Supplier<byte[]> privateKeys;

    /**
     * What this side says in the handshake about DATA_PARTIAL_CHECKSUM: every engine of this
     * version takes them (it completes what its device cannot), so only tests turn it off, to play
     * a peer that does not.
     */
    private boolean takesPartialChecksums = true;
    private int pendingSessionId;
    private boolean pendingRekey;
    private long pendingTimestampMicros;
    private long lastTimestampMicros = Long.MIN_VALUE;
    private byte[] privateKey;
    private byte[] publicKey;
    /** The pending offer: the INIT's payload, which every answer is bound to. */
    private final byte[] offer = new byte[OFFER_LENGTH];
    /** Per local link id: the server's cookie for that link's address, or null. */
    private final byte[][] cookies = new byte[Header.MAX_LINK_ID + 1][];
    private final long[] cookieArrivedNanos = new long[Header.MAX_LINK_ID + 1];
    /** Per local link id: whether the last INIT written carried a mac2. */
    private final boolean[] sentWithCookie = new boolean[Header.MAX_LINK_ID + 1];
    private final byte[] openedCookie = new byte[COOKIE_LENGTH];

    /** Uses {@link Clock#SYSTEM} for {@link SessionKeys#createdNanos()} and the cookies' age. */
    public HandshakeInitiator(HandshakeKey key, CipherSuite cipher, SecureRandom random) {
        this(key, cipher, random, Clock.SYSTEM);
    }

    /**
     * @param random source of the ephemeral private keys
     * @param clock stamps {@link SessionKeys#createdNanos()} and ages the cookies
     */
    public HandshakeInitiator(HandshakeKey key, CipherSuite cipher, SecureRandom random, Clock clock) {
        this(key, cipher, clock, randomPrivateKeys(random));
    }

    /** For test vectors: {@code privateKeys} supplies each offer's ephemeral private key. */
    HandshakeInitiator(HandshakeKey key, CipherSuite cipher, Clock clock, Supplier<byte[]> privateKeys) {
        this.key = Objects.requireNonNull(key, "key");
        this.mac = key.newMac();
        this.cookieCipher = key.newCookieReplyCipher();
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.privateKeys = Objects.requireNonNull(privateKeys, "privateKeys");
    }

    static Supplier<byte[]> randomPrivateKeys(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return () -> {
            byte[] k = new byte[KeyExchange.PRIVATE_KEY_LENGTH];
            random.nextBytes(k);
            return k;
        };
    }

    /**
     * Makes {@code next} the key of the next offers; the pending offer, made under the key before,
     * is dropped (and its private key wiped). Timestamps and cookies carry over: neither depends
     * on the key.
     */
    public void rotate(HandshakeKey next) {
        Objects.requireNonNull(next, "next");
        clearOffer();
        key = next;
        mac = next.newMac();
        cookieCipher = next.newCookieReplyCipher();
    }

    /** Whether this side says it takes DATA_PARTIAL_CHECKSUM; false plays a peer that does not (tests). */
    void takesPartialChecksums(boolean takes) {
        this.takesPartialChecksums = takes;
    }

    /**
     * Starts a new offer with a fresh ephemeral key pair, replacing (and wiping) any pending one.
     *
     * @param sessionId the new session's id, 1..65535, different from the current and previous
     * @param rekey true when the session will replace a live one
     * @param timestampMicros the wall clock in microseconds since the epoch; raised to one more
     *     than the previous offer's (or than the server's last accepted one, learnt from a stale
     *     REJECT) when not greater, so offers are strictly increasing
     * @throws IllegalArgumentException when {@code sessionId} is out of range
     */
    public void begin(int sessionId, boolean rekey, long timestampMicros) {
        if (sessionId < 1 || sessionId > 0xFFFF) {
            throw new IllegalArgumentException("session id not in 1..65535: " + sessionId);
        }
        clearOffer();
        byte[] fresh = privateKeys.get();
        if (fresh.length != KeyExchange.PRIVATE_KEY_LENGTH) {
            throw new IllegalStateException("ephemeral private key of " + fresh.length + " bytes");
        }
        privateKey = fresh;
        publicKey = KeyExchange.publicFromPrivate(fresh);
        pendingSessionId = sessionId;
        pendingRekey = rekey;
        pendingTimestampMicros = timestampMicros > lastTimestampMicros ? timestampMicros : lastTimestampMicros + 1;
        lastTimestampMicros = pendingTimestampMicros;
        int p = 0;
        offer[p++] = (byte) HandshakeFormat.VERSION;
        System.arraycopy(publicKey, 0, offer, p, PUBLIC_KEY_LENGTH);
        p += PUBLIC_KEY_LENGTH;
        Header.putLong(offer, p, pendingTimestampMicros);
        p += 8;
        offer[p++] = (byte) cipher.wireId();
        offer[p] = (byte) ((rekey ? FLAG_REKEY : 0) | (takesPartialChecksums ? FLAG_PARTIAL_CHECKSUMS : 0));
    }

    /**
     * Writes the pending offer's HANDSHAKE_INIT; may be called for several links. Its mac2 carries
     * the link's cookie when the server sent one less than 2 minutes ago, else zeros.
     *
     * @param linkId the sending link's id, 0..249
     * @param seq the sending link's packet counter
     * @param stamp the header stamp
     * @param echo the header echo, or {@link Header#NO_ECHO}
     * @return {@link #INIT_LENGTH}
     * @throws IllegalStateException when no offer is pending
     * @throws IndexOutOfBoundsException when the INIT does not fit in {@code b} at {@code off}
     */
    public int writeInit(byte[] b, int off, int linkId, long seq, int stamp, int echo) {
        if (pendingSessionId == 0) {
            throw new IllegalStateException("no handshake begun");
        }
        Objects.checkFromIndexSize(off, INIT_LENGTH, b.length);
        Header.write(b, off, PacketType.HANDSHAKE_INIT, linkId, pendingSessionId, seq, stamp, echo, 0);
        System.arraycopy(offer, 0, b, off + INIT_VERSION, OFFER_LENGTH);
        mac.sign(b, off, INIT_SIGNED_LENGTH);
        int link = linkId & 0xFF;
        byte[] cookie = link < cookies.length ? cookies[link] : null;
        if (cookie != null && clock.nanoTime() - cookieArrivedNanos[link] < COOKIE_LIFETIME_NANOS) {
            byte[] mac2 = new byte[Header.TAG_LENGTH];
            Mac2.compute(cookie, b, off, mac2);
            System.arraycopy(mac2, 0, b, off + INIT_MAC2, Header.TAG_LENGTH);
            sentWithCookie[link] = true;
        } else {
            Arrays.fill(b, off + INIT_MAC2, off + INIT_LENGTH, (byte) 0);
            if (link < sentWithCookie.length) {
                sentWithCookie[link] = false;
            }
        }
        return INIT_LENGTH;
    }

    /** The pending offer's session id, or 0 when none is pending. */
    public int pendingSessionId() {
        return pendingSessionId;
    }

    /** The pending offer's timestamp (after the strictly-increasing adjustment). */
    long pendingTimestampMicros() {
        return pendingTimestampMicros;
    }

    /**
     * Processes a HANDSHAKE_RESPONSE, REJECT or COOKIE that arrived on local link {@code linkId}.
     * Each is taken only when it has its exact length, is for the pending offer (session id, and
     * a MAC or AEAD tag that covers the offer) and, for a RESPONSE, names our cipher. A RESPONSE
     * establishes the session and a REJECT ends the offer (a stale one also raises the floor of
     * our timestamps above the server's last accepted one); a COOKIE is kept for the link's next
     * INITs. Anything else is {@link Outcome.Status#IGNORED} and changes nothing.
     *
     * @param length bytes of the datagram starting at {@code off}
     */
    public Outcome complete(byte[] b, int off, int length, int linkId) {
        Objects.checkFromIndexSize(off, length, b.length);
        if (length < Header.OVERHEAD) {
            return Outcome.ignored("too short: " + length + " bytes");
        }
        int type = Header.type(b, off);
        if (type == PacketType.HANDSHAKE_RESPONSE) {
            return completeResponse(b, off, length);
        }
        if (type == PacketType.HANDSHAKE_REJECT) {
            return completeReject(b, off, length);
        }
        if (type == PacketType.HANDSHAKE_COOKIE) {
            return completeCookie(b, off, length, linkId);
        }
        return Outcome.ignored("not a handshake answer: " + PacketType.name(type));
    }

    private Outcome completeResponse(byte[] b, int off, int length) {
        if (length != HandshakeFormat.RESPONSE_LENGTH) {
            return Outcome.ignored("response of " + length + " bytes");
        }
        String problem = checkPendingAndBound(b, off, length);
        if (problem != null) {
            return Outcome.ignored(problem);
        }
        int cipherId = b[off + HandshakeFormat.RESPONSE_CIPHER] & 0xFF;
        if (cipherId != cipher.wireId()) {
            return Outcome.ignored("response with cipher id " + cipherId + ", we use " + cipher.configName());
        }
        byte[] serverPublic = Arrays.copyOfRange(b, off + HandshakeFormat.RESPONSE_PUBLIC,
                off + HandshakeFormat.RESPONSE_PUBLIC + PUBLIC_KEY_LENGTH);
        byte[] okm = KeyExchange.deriveOkm(key, privateKey, serverPublic, publicKey, serverPublic,
                pendingSessionId, cipher);
        if (okm == null) {
            return Outcome.ignored("server public key gives no shared secret");
        }
        boolean peerPartial = (b[off + HandshakeFormat.RESPONSE_FLAGS] & HandshakeFormat.RESPONSE_FLAG_PARTIAL_CHECKSUMS) != 0;
        SessionKeys keys = new SessionKeys(pendingSessionId, cipher, pendingRekey, peerPartial,
                KeyExchange.clientToServer(okm), KeyExchange.serverToClient(okm), clock.nanoTime());
        Arrays.fill(okm, (byte) 0);
        clearOffer();
        return new Outcome(Outcome.Status.ESTABLISHED, keys, null, 0, "established");
    }

    private Outcome completeReject(byte[] b, int off, int length) {
        if (length != HandshakeFormat.REJECT_LENGTH) {
            return Outcome.ignored("reject of " + length + " bytes");
        }
        String problem = checkPendingAndBound(b, off, length);
        if (problem != null) {
            return Outcome.ignored(problem);
        }
        int reason = b[off + HandshakeFormat.REJECT_REASON] & 0xFF;
        int cipherId = b[off + HandshakeFormat.REJECT_CIPHER] & 0xFF;
        if (reason == HandshakeFormat.REASON_STALE) {
            long serverLast = Header.getLong(b, off + HandshakeFormat.REJECT_TIMESTAMP);
            long ours = pendingTimestampMicros;
            if (serverLast > lastTimestampMicros) {
                lastTimestampMicros = serverLast;
            }
            clearOffer();
            return new Outcome(Outcome.Status.REJECTED_STALE, null, null, serverLast,
                    "stale offer: the server last accepted an offer stamped " + serverLast + " us, ours was "
                            + ours + " us (" + (serverLast - ours) / 1_000_000L
                            + " s earlier; did this clock step back?): offering again above it");
        }
        if (reason != HandshakeFormat.REASON_CIPHER_MISMATCH) {
            return Outcome.ignored("reject with reason " + reason);
        }
        CipherSuite peer = CipherSuite.fromWireId(cipherId);
        clearOffer();
        String theirs = peer != null ? peer.configName() : "cipher id " + cipherId + " (unknown to this version)";
        return new Outcome(Outcome.Status.REJECTED_CIPHER, null, peer, 0,
                "cipher mismatch: server uses " + theirs + ", we use " + cipher.configName());
    }

    private Outcome completeCookie(byte[] b, int off, int length, int linkId) {
        if (length != HandshakeFormat.COOKIE_REPLY_LENGTH) {
            return Outcome.ignored("cookie reply of " + length + " bytes");
        }
        int sessionId = Header.sessionId(b, off);
        if (pendingSessionId == 0 || sessionId != pendingSessionId) {
            return Outcome.ignored("session " + sessionId + " not pending");
        }
        int link = linkId & 0xFF;
        if (link >= cookies.length || !cookieCipher.open(b, off, offer, 0, openedCookie)) {
            return Outcome.ignored("cookie reply not for this offer");
        }
        cookies[link] = openedCookie.clone();
        cookieArrivedNanos[link] = clock.nanoTime();
        // Asked again at once only when the INIT it answers had no cookie: with one, the server
        // changed its secret, and the next regular offer carries the new cookie.
        boolean retry = !sentWithCookie[link];
        return new Outcome(retry ? Outcome.Status.COOKIE_RETRY : Outcome.Status.COOKIE, null, null, 0,
                "the server is under handshake load and sent a cookie for link id " + link);
    }

    /** Null when the answer is for the pending offer and its MAC, covering the offer, verifies; else why not. */
    private String checkPendingAndBound(byte[] b, int off, int length) {
        int sessionId = Header.sessionId(b, off);
        if (pendingSessionId == 0 || sessionId != pendingSessionId) {
            return "session " + sessionId + " not pending";
        }
        if (!mac.verify(b, off, length, offer, 0, OFFER_LENGTH)) {
            return "bad HMAC, or an answer to an earlier offer";
        }
        return null;
    }

    private void clearOffer() {
        if (privateKey != null) {
            Arrays.fill(privateKey, (byte) 0);
        }
        privateKey = null;
        publicKey = null;
        pendingSessionId = 0;
        pendingRekey = false;
        Arrays.fill(offer, (byte) 0);
    }

    /** What {@link #complete} made of an answer. Instances are immutable. */
    public static final class Outcome {
        /** The kinds of outcome. */
        public enum Status {
            /** The session is established; {@link #keys()} holds its keys. */
            ESTABLISHED,
            /** The server uses another cipher, {@link #peerCipher()}; retry with backoff. */
            REJECTED_CIPHER,
            /**
             * The server has accepted a later offer ({@link #serverTimestampMicros()}); the offer is
             * cleared and the next one goes above it: begin one at once.
             */
            REJECTED_STALE,
            /** The server is under load and sent a cookie for the link; the next INITs carry it. */
            COOKIE,
            /** As {@link #COOKIE}, and the INIT it answered had no cookie: send the offer again at once. */
            COOKIE_RETRY,
            /** Not an authentic answer to the pending offer; nothing changed. */
            IGNORED
        }

        private final Status status;
        private final SessionKeys keys;
        private final CipherSuite peerCipher;
        private final long serverTimestampMicros;
        private final String reason;

        Outcome(Status status, SessionKeys keys, CipherSuite peerCipher, long serverTimestampMicros, String reason) {
            this.status = status;
            this.keys = keys;
            this.peerCipher = peerCipher;
            this.serverTimestampMicros = serverTimestampMicros;
            this.reason = reason;
        }

        static Outcome ignored(String reason) {
            return new Outcome(Status.IGNORED, null, null, 0, reason);
        }

        /** What happened. */
        public Status status() {
            return status;
        }

        /** The session's keys when {@link Status#ESTABLISHED}, else {@code null}. */
        public SessionKeys keys() {
            return keys;
        }

        /**
         * The server's cipher when {@link Status#REJECTED_CIPHER} and known to this version, else
         * {@code null}.
         */
        public CipherSuite peerCipher() {
            return peerCipher;
        }

        /** The server's last accepted timestamp when {@link Status#REJECTED_STALE}, else 0. */
        public long serverTimestampMicros() {
            return serverTimestampMicros;
        }

        /**
         * A short explanation for logs; for {@link Status#REJECTED_CIPHER} it reads
         * {@code cipher mismatch: server uses X, we use Y}.
         */
        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return "Outcome[" + status + ", " + reason + "]";
        }
    }
}
