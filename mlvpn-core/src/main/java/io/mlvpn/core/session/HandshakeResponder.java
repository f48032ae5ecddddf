package io.mlvpn.core.session;

import static io.mlvpn.core.session.HandshakeFormat.FLAG_PARTIAL_CHECKSUMS;
import static io.mlvpn.core.session.HandshakeFormat.FLAG_REKEY;
import static io.mlvpn.core.session.HandshakeFormat.INIT_CIPHER;
import static io.mlvpn.core.session.HandshakeFormat.INIT_FLAGS;
import static io.mlvpn.core.session.HandshakeFormat.INIT_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.INIT_MAC2;
import static io.mlvpn.core.session.HandshakeFormat.INIT_PUBLIC;
import static io.mlvpn.core.session.HandshakeFormat.INIT_TIMESTAMP;
import static io.mlvpn.core.session.HandshakeFormat.INIT_VERSION;
import static io.mlvpn.core.session.HandshakeFormat.OFFER_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.PUBLIC_KEY_LENGTH;

import io.mlvpn.api.Clock;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The server side of the handshake (docs/protocol.md, section 5, "Server on INIT"). For each
 * HANDSHAKE_INIT it checks, in this order, the cheap things before the dear ones: length, header
 * and mac1 (one HMAC; a 74-byte INIT of handshake 1 is recognised and refused); the handshake
 * version; freshness, a timestamp after the last accepted one (the last accepted INIT itself is
 * answered again from the cache, at most once per {@link #RESEND_INTERVAL_NANOS} on each link; a
 * stale one gets a REJECT saying so, at most one a second per source); under load, mac2 (an INIT without a valid one gets a cookie reply); a token of the
 * source's rate limit; the cipher (a mismatch gets a REJECT). Only then does it spend X25519 work,
 * derive the session keys and write a RESPONSE. Every answer is smaller than the INIT and bound to
 * its offer. After {@link #rotate}, INITs under the previous key are still taken for a grace
 * period (and answered under that key), at one more HMAC for a datagram that fails the current
 * key. This class logs nothing; the caller counts and logs by {@link Reply#status()}.
 *
 * <p>One per tunnel. Safe for concurrent use: {@link #respond} takes a lock, which is fine
 * because handshakes are rare and never on the per-packet path.
 */
public final class HandshakeResponder {
    /** Length of a HANDSHAKE_RESPONSE on the wire, in bytes: less than the INIT's 91. */
    public static final int RESPONSE_LENGTH = HandshakeFormat.RESPONSE_LENGTH;
    /** Length of a HANDSHAKE_REJECT on the wire, in bytes. */
    public static final int REJECT_LENGTH = HandshakeFormat.REJECT_LENGTH;
    /** Length of a HANDSHAKE_COOKIE on the wire, in bytes. */
    public static final int COOKIE_REPLY_LENGTH = HandshakeFormat.COOKIE_REPLY_LENGTH;
    /** The handshake version this end speaks: the first byte of the INIT's payload. */
    public static final int HANDSHAKE_VERSION = HandshakeFormat.VERSION;
    /** Fresh INITs a second above which the server answers INITs without a valid mac2 with a cookie. */
    public static final int LOAD_THRESHOLD = HandshakeLoad.DEFAULT_THRESHOLD;
    /** Stale REJECTs per second per source (IP and port). */
    static final int STALE_REJECTS_PER_SECOND = 1;
    /**
     * Least time between two answers to the last accepted INIT on one link (the first answer, or
     * one from the cache): copies arriving sooner are not answered ({@link Reply.Status#DROPPED_RESEND}).
     * Half the fastest a client sends an offer again on a link (every 100 ms, a link that was up
     * probing for its peer; a rekey offer is sent again every second), so each real retransmit,
     * after a lost RESPONSE, is answered, while a recorded INIT replayed from any address draws at
     * most 20 answers a second per link instead of one per copy.
     */
    public static final long RESEND_INTERVAL_NANOS = 50_000_000L;

    /** What verifies and signs under one key. */
    private static final class Credentials {
        final HandshakeKey key;
        final HandshakeMac mac;
        final CookieReplyCipher cookieCipher;

        Credentials(HandshakeKey key) {
            this.key = key;
            this.mac = key.newMac();
            this.cookieCipher = key.newCookieReplyCipher();
        }
    }

    // Guarded by this: the key of new handshakes and, after a rotation, the one before it, still
    // accepted until previousUntilNanos so the peers can switch after this end.
    private Credentials current;
    private Credentials previous;
    private long previousUntilNanos;
    private final CipherSuite cipher;
    private final Clock clock;
    private final HandshakeRateLimiter rateLimiter;
    private final HandshakeRateLimiter staleRejects;
    private final HandshakeLoad load;
    private final CookieChecker cookies;
    private final SecureRandom random;
    private final Supplier<byte[]> privateKeys;
    /**
     * What this side says in the handshake about DATA_PARTIAL_CHECKSUM: every engine of this
     * version takes them (it completes what its device cannot), so only tests turn it off, to play
     * a peer that does not.
     */
    private boolean takesPartialChecksums = true;

    // Guarded by this: the last accepted INIT, answered again when retransmitted.
    private long lastAcceptedTimestampMicros = Long.MIN_VALUE;
    private final byte[] lastOffer = new byte[OFFER_LENGTH];
    private Credentials lastCredentials;
    private int lastSessionId;
    private byte[] lastServerPublic;
    private SessionKeys lastKeys;
    // Guarded by this: per answering link id, when the last accepted INIT was last answered there
    // (answeredOnLink false: not yet since it was accepted).
    // Indexed by the header's link id byte, as it goes on the wire.
    private final boolean[] answeredOnLink = new boolean[256];
    private final long[] answeredNanos = new long[256];
    // Guarded by this: what the datagrams cost, for the tests that bound it.
    private long macComputations;
    private long x25519Operations;
    private long previousKeyHandshakes;

    /**
     * Uses a {@link HandshakeRateLimiter} with the protocol's defaults.
     *
     * @param random source of the ephemeral private keys and cookie secrets
     * @param clock drives the rate limits, the load and the cookie secrets, and stamps
     *     {@link SessionKeys#createdNanos()}
     */
    public HandshakeResponder(HandshakeKey key, CipherSuite cipher, SecureRandom random, Clock clock) {
        this(key, cipher, clock, new HandshakeRateLimiter(clock), HandshakeInitiator.randomPrivateKeys(random),
                random, HandshakeLoad.DEFAULT_THRESHOLD);
    }

    /** For tests and vectors: a given rate limiter and source of ephemeral private keys. */
    HandshakeResponder(HandshakeKey key, CipherSuite cipher, Clock clock, HandshakeRateLimiter rateLimiter,
            Supplier<byte[]> privateKeys) {
        this(key, cipher, clock, rateLimiter, privateKeys, new SecureRandom(), HandshakeLoad.DEFAULT_THRESHOLD);
    }

    /** For tests: also the load threshold (fresh INITs a second above which cookies are asked for). */
    HandshakeResponder(HandshakeKey key, CipherSuite cipher, Clock clock, HandshakeRateLimiter rateLimiter,
            Supplier<byte[]> privateKeys, SecureRandom random, int loadThreshold) {
        this.current = new Credentials(Objects.requireNonNull(key, "key"));
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.privateKeys = Objects.requireNonNull(privateKeys, "privateKeys");
        this.random = Objects.requireNonNull(random, "random");
        this.staleRejects = new HandshakeRateLimiter(clock, STALE_REJECTS_PER_SECOND, 1,
                HandshakeRateLimiter.DEFAULT_MAX_ADDRESSES);
        this.load = new HandshakeLoad(loadThreshold);
        this.cookies = new CookieChecker(clock, random);
    }

    /**
     * Makes {@code next} the key of new handshakes; INITs under the key used so far are still
     * accepted (and answered under it) for {@code graceNanos}, and no longer after. A key from an
     * earlier rotation still in its grace period is forgotten at once.
     */
    public synchronized void rotate(HandshakeKey next, long graceNanos) {
        Objects.requireNonNull(next, "next");
        previous = current;
        previousUntilNanos = clock.nanoTime() + graceNanos;
        current = new Credentials(next);
    }

    /** The credentials whose mac1 verifies over {@code in[off, off + macEnd)}, or null. */
    private Credentials verifying(byte[] in, int off, int macEnd) {
        macComputations++;
        if (current.mac.verify(in, off, macEnd)) {
            return current;
        }
        if (previous != null) {
            if (clock.nanoTime() - previousUntilNanos >= 0) {
                previous.key.destroy();
                previous = null;
                return null;
            }
            macComputations++;
            if (previous.mac.verify(in, off, macEnd)) {
                return previous;
            }
        }
        return null;
    }

    /**
     * Answers one received HANDSHAKE_INIT.
     *
     * @param in the datagram, {@code length} bytes at {@code off}
     * @param source the datagram's source, for the rate limits and the cookie
     * @param out where the answer goes; needs {@link #RESPONSE_LENGTH} bytes at {@code outOff}
     * @param linkId the answering link's id, for the answer's header
     * @param seq the answering link's packet counter
     * @param stamp the answer's header stamp
     * @param echo the answer's header echo, or {@link Header#NO_ECHO}
     * @return what happened; {@link Reply#length()} bytes were written to {@code out}
     * @throws IndexOutOfBoundsException when a range lies outside its array
     */
    public synchronized Reply respond(byte[] in, int off, int length, InetSocketAddress source, byte[] out,
            int outOff, int linkId, long seq, int stamp, int echo) {
        Objects.checkFromIndexSize(off, length, in.length);
        Objects.checkFromIndexSize(outOff, RESPONSE_LENGTH, out.length);
        Objects.requireNonNull(source, "source");
        if (length < Header.OVERHEAD || Header.version(in, off) != Header.VERSION
                || Header.type(in, off) != PacketType.HANDSHAKE_INIT || Header.sessionId(in, off) == 0) {
            return Reply.MALFORMED;
        }
        if (length == HandshakeFormat.LEGACY_INIT_LENGTH) {
            return verifying(in, off, length) != null ? Reply.LEGACY : Reply.AUTH;
        }
        if (length != INIT_LENGTH) {
            return Reply.MALFORMED;
        }
        Credentials c = verifying(in, off, INIT_MAC2);
        if (c == null) {
            return Reply.AUTH;
        }
        int version = in[off + INIT_VERSION] & 0xFF;
        if (version != HandshakeFormat.VERSION) {
            return new Reply(Reply.Status.DROPPED_VERSION, 0, null, 0, version, 0, 0);
        }
        int sessionId = Header.sessionId(in, off);
        long timestampMicros = Header.getLong(in, off + INIT_TIMESTAMP);
        if (timestampMicros <= lastAcceptedTimestampMicros) {
            return stale(c, in, off, source, out, outOff, linkId, seq, stamp, echo, sessionId, timestampMicros);
        }
        Object bucket = source.getAddress();
        if (load.arrive(clock.nanoTime())) {
            long before = cookies.macComputations();
            boolean proven = cookies.mac2Valid(in, off, source);
            if (!proven) {
                byte[] cookie = cookies.cookieFor(source);
                Header.write(out, outOff, PacketType.HANDSHAKE_COOKIE, linkId, sessionId, seq, stamp, echo, 0);
                c.cookieCipher.seal(out, outOff, cookie, in, off + Header.LENGTH, random);
                macComputations += cookies.macComputations() - before;
                return Reply.COOKIE;
            }
            macComputations += cookies.macComputations() - before;
            // The cookie proved the port too: the token bucket is the sender's own, not its NAT's.
            bucket = source;
        }
        if (!rateLimiter.tryAcquire(bucket)) {
            return Reply.RATE;
        }
        int cipherId = in[off + INIT_CIPHER] & 0xFF;
        if (cipherId != cipher.wireId()) {
            writeReject(c, out, outOff, linkId, sessionId, seq, stamp, echo, HandshakeFormat.REASON_CIPHER_MISMATCH,
                    0, in, off);
            return new Reply(Reply.Status.REJECTED_CIPHER, REJECT_LENGTH, null, cipherId, version, timestampMicros,
                    lastAcceptedTimestampMicros);
        }
        return accept(c, in, off, sessionId, timestampMicros, out, outOff, linkId, seq, stamp, echo);
    }

    /** An authentic INIT that is not after the last accepted one. */
    private Reply stale(Credentials c, byte[] in, int off, InetSocketAddress source, byte[] out, int outOff, int linkId, long seq,
            int stamp, int echo, int sessionId, long timestampMicros) {
        if (timestampMicros == lastAcceptedTimestampMicros && c == lastCredentials
                && isLastAccepted(in, off, sessionId)) {
            if (!resendAllowed(linkId)) {
                return new Reply(Reply.Status.DROPPED_RESEND, 0, null, 0, HandshakeFormat.VERSION, timestampMicros,
                        lastAcceptedTimestampMicros);
            }
            writeResponse(c, out, outOff, linkId, lastSessionId, seq, stamp, echo, lastServerPublic, in, off);
            return new Reply(Reply.Status.RETRANSMIT, RESPONSE_LENGTH, lastKeys, 0, HandshakeFormat.VERSION,
                    timestampMicros, lastAcceptedTimestampMicros);
        }
        // Said to the source, bound to this offer: only the client that made it acts on it, and a
        // replayed INIT draws at most one small answer a second per source.
        if (!staleRejects.tryAcquire(source)) {
            return new Reply(Reply.Status.DROPPED_REPLAY, 0, null, 0, HandshakeFormat.VERSION, timestampMicros,
                    lastAcceptedTimestampMicros);
        }
        writeReject(c, out, outOff, linkId, sessionId, seq, stamp, echo, HandshakeFormat.REASON_STALE,
                lastAcceptedTimestampMicros, in, off);
        return new Reply(Reply.Status.REJECTED_STALE, REJECT_LENGTH, null, 0, HandshakeFormat.VERSION,
                timestampMicros, lastAcceptedTimestampMicros);
    }

    private Reply accept(Credentials c, byte[] in, int off, int sessionId, long timestampMicros, byte[] out, int outOff,
            int linkId, long seq, int stamp, int echo) {
        byte[] clientPublic = Arrays.copyOfRange(in, off + INIT_PUBLIC, off + INIT_PUBLIC + PUBLIC_KEY_LENGTH);
        byte[] privateKey = privateKeys.get();
        byte[] okm;
        byte[] serverPublic;
        try {
            x25519Operations += 2;
            serverPublic = KeyExchange.publicFromPrivate(privateKey);
            okm = KeyExchange.deriveOkm(c.key, privateKey, clientPublic, clientPublic, serverPublic, sessionId, cipher);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
        if (okm == null) {
            // Authentic, but the client's key is invalid or of low order: no session can come of it.
            return Reply.MALFORMED;
        }
        boolean rekey = (in[off + INIT_FLAGS] & FLAG_REKEY) != 0;
        boolean peerPartial = (in[off + INIT_FLAGS] & FLAG_PARTIAL_CHECKSUMS) != 0;
        SessionKeys keys = new SessionKeys(sessionId, cipher, rekey, peerPartial, KeyExchange.serverToClient(okm),
                KeyExchange.clientToServer(okm), clock.nanoTime());
        Arrays.fill(okm, (byte) 0);
        long previousTimestamp = lastAcceptedTimestampMicros;
        lastAcceptedTimestampMicros = timestampMicros;
        System.arraycopy(in, off + Header.LENGTH, lastOffer, 0, OFFER_LENGTH);
        lastCredentials = c;
        if (c == previous) {
            previousKeyHandshakes++;
        }
        lastSessionId = sessionId;
        lastServerPublic = serverPublic;
        lastKeys = keys;
        Arrays.fill(answeredOnLink, false);
        resendAllowed(linkId);
        writeResponse(c, out, outOff, linkId, sessionId, seq, stamp, echo, serverPublic, in, off);
        return new Reply(Reply.Status.ACCEPTED, RESPONSE_LENGTH, keys, 0, HandshakeFormat.VERSION, timestampMicros,
                previousTimestamp);
    }

    /**
     * Whether the last accepted INIT may be answered on link {@code linkId} now: not answered there
     * within {@link #RESEND_INTERVAL_NANOS}. When it may, the answer is recorded as made now.
     */
    private boolean resendAllowed(int linkId) {
        int link = linkId & 0xFF;
        long now = clock.nanoTime();
        if (answeredOnLink[link] && now - answeredNanos[link] < RESEND_INTERVAL_NANOS) {
            return false;
        }
        answeredOnLink[link] = true;
        answeredNanos[link] = now;
        return true;
    }

    /** The same offer (payload and session id) as the last accepted INIT. */
    private boolean isLastAccepted(byte[] in, int off, int sessionId) {
        if (lastKeys == null || sessionId != lastSessionId) {
            return false;
        }
        int from = off + Header.LENGTH;
        return Arrays.equals(in, from, from + OFFER_LENGTH, lastOffer, 0, OFFER_LENGTH);
    }

    private void writeResponse(Credentials c, byte[] out, int outOff, int linkId, int sessionId, long seq, int stamp, int echo,
            byte[] serverPublic, byte[] init, int initOff) {
        Header.write(out, outOff, PacketType.HANDSHAKE_RESPONSE, linkId, sessionId, seq, stamp, echo, 0);
        System.arraycopy(serverPublic, 0, out, outOff + HandshakeFormat.RESPONSE_PUBLIC, PUBLIC_KEY_LENGTH);
        out[outOff + HandshakeFormat.RESPONSE_CIPHER] = (byte) cipher.wireId();
        out[outOff + HandshakeFormat.RESPONSE_FLAGS] =
                (byte) (takesPartialChecksums ? HandshakeFormat.RESPONSE_FLAG_PARTIAL_CHECKSUMS : 0);
        macComputations++;
        c.mac.sign(out, outOff, HandshakeFormat.RESPONSE_SIGNED_LENGTH, init, initOff + Header.LENGTH, OFFER_LENGTH);
    }

    private void writeReject(Credentials c, byte[] out, int outOff, int linkId, int sessionId, long seq, int stamp, int echo,
            int reason, long timestampMicros, byte[] init, int initOff) {
        Header.write(out, outOff, PacketType.HANDSHAKE_REJECT, linkId, sessionId, seq, stamp, echo, 0);
        out[outOff + HandshakeFormat.REJECT_REASON] = (byte) reason;
        out[outOff + HandshakeFormat.REJECT_CIPHER] = (byte) cipher.wireId();
        Header.putLong(out, outOff + HandshakeFormat.REJECT_TIMESTAMP, timestampMicros);
        macComputations++;
        c.mac.sign(out, outOff, HandshakeFormat.REJECT_SIGNED_LENGTH, init, initOff + Header.LENGTH, OFFER_LENGTH);
    }

    /** Whether this side says it takes DATA_PARTIAL_CHECKSUM; false plays a peer that does not (tests). */
    void takesPartialChecksums(boolean takes) {
        this.takesPartialChecksums = takes;
    }

    /** HMAC computations so far (mac1 checks, cookies, mac2 checks, signed answers). */
    synchronized long macComputations() {
        return macComputations;
    }

    /** X25519 scalar multiplications so far: two per accepted INIT. */
    synchronized long x25519Operations() {
        return x25519Operations;
    }

    /** Handshakes accepted under the previous key (after {@link #rotate}) so far. */
    public synchronized long previousKeyHandshakes() {
        return previousKeyHandshakes;
    }

    /** Rate-limit tokens taken so far. */
    long tokensTaken() {
        return rateLimiter.tokensTaken();
    }

    /** What {@link #respond} did with an INIT. Instances are immutable. */
    public static final class Reply {
        /** The kinds of reply. */
        public enum Status {
            /** A new session: a RESPONSE was written and {@link #keys()} holds the pending session's keys. */
            ACCEPTED,
            /**
             * The last accepted INIT again: a RESPONSE with the same server key was written and
             * {@link #keys()} is the same instance as before.
             */
            RETRANSMIT,
            /** The client uses another cipher ({@link #peerCipher()}): a REJECT was written. */
            REJECTED_CIPHER,
            /**
             * The timestamp is not after the last accepted INIT's ({@link #lastAcceptedMicros()}): a
             * REJECT saying so was written, so that a client whose clock went back can go on above it.
             */
            REJECTED_STALE,
            /** Under load, without a valid mac2: a COOKIE reply was written. */
            COOKIE,
            /** Wrong length, version, type or session id, or an unusable public key; nothing written. */
            DROPPED_MALFORMED,
            /** Authentic, but of another handshake version ({@link #peerVersion()}); nothing written. */
            DROPPED_VERSION,
            /** The HMAC (mac1) failed; nothing written. */
            DROPPED_AUTH,
            /** The source exceeded its handshake rate; nothing written. */
            DROPPED_RATE,
            /** Stale like {@link #REJECTED_STALE}, but this source had its REJECT this second; nothing written. */
            DROPPED_REPLAY,
            /**
             * The last accepted INIT again, like {@link #RETRANSMIT}, but it was answered on this
             * link less than {@link HandshakeResponder#RESEND_INTERVAL_NANOS} ago; nothing written.
             */
            DROPPED_RESEND
        }

        static final Reply MALFORMED = new Reply(Status.DROPPED_MALFORMED, 0, null, 0, 0, 0, 0);
        static final Reply AUTH = new Reply(Status.DROPPED_AUTH, 0, null, 0, 0, 0, 0);
        static final Reply RATE = new Reply(Status.DROPPED_RATE, 0, null, 0, HandshakeFormat.VERSION, 0, 0);
        static final Reply LEGACY = new Reply(Status.DROPPED_VERSION, 0, null, 0, 1, 0, 0);
        static final Reply COOKIE = new Reply(Status.COOKIE, COOKIE_REPLY_LENGTH, null, 0, HandshakeFormat.VERSION,
                0, 0);

        private final Status status;
        private final int length;
        private final SessionKeys keys;
        private final int peerCipherId;
        private final int peerVersion;
        private final long timestampMicros;
        private final long lastAcceptedMicros;

        Reply(Status status, int length, SessionKeys keys, int peerCipherId, int peerVersion, long timestampMicros,
                long lastAcceptedMicros) {
            this.status = status;
            this.length = length;
            this.keys = keys;
            this.peerCipherId = peerCipherId;
            this.peerVersion = peerVersion;
            this.timestampMicros = timestampMicros;
            this.lastAcceptedMicros = lastAcceptedMicros;
        }

        /** What happened. */
        public Status status() {
            return status;
        }

        /** Bytes written to the output array: 66, 60, 42, or 0 when dropped. */
        public int length() {
            return length;
        }

        /** The session's keys for {@link Status#ACCEPTED} and {@link Status#RETRANSMIT}, else {@code null}. */
        public SessionKeys keys() {
            return keys;
        }

        /**
         * The client's cipher for {@link Status#REJECTED_CIPHER}; {@code null} otherwise, and when
         * the client's cipher id is unknown to this version (see {@link #peerCipherId()}).
         */
        public CipherSuite peerCipher() {
            return status == Status.REJECTED_CIPHER ? CipherSuite.fromWireId(peerCipherId) : null;
        }

        /** The client's cipher id for {@link Status#REJECTED_CIPHER}, known or not; 0 otherwise. */
        public int peerCipherId() {
            return peerCipherId;
        }

        /**
         * The handshake version the INIT spoke, when authentic: 1 for a 74-byte INIT of
         * mlvpn-java up to commit 7cee88a; 0 when unknown.
         */
        public int peerVersion() {
            return peerVersion;
        }

        /** The INIT's timestamp, in microseconds, when it was read; else 0. */
        public long timestampMicros() {
            return timestampMicros;
        }

        /** The last accepted INIT's timestamp before this one, in microseconds, when the INIT was read. */
        public long lastAcceptedMicros() {
            return lastAcceptedMicros;
        }

        @Override
        public String toString() {
            return "Reply[" + status + ", " + length + " bytes]";
        }
    }
}
