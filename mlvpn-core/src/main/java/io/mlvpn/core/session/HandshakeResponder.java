package io.mlvpn.core.session;

import static io.mlvpn.core.session.HandshakeFormat.FLAG_PARTIAL_CHECKSUMS;
import static io.mlvpn.core.session.HandshakeFormat.FLAG_REKEY;
import static io.mlvpn.core.session.HandshakeFormat.INIT_CIPHER;
import static io.mlvpn.core.session.HandshakeFormat.INIT_FLAGS;
import static io.mlvpn.core.session.HandshakeFormat.INIT_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.INIT_PUBLIC;
import static io.mlvpn.core.session.HandshakeFormat.INIT_SIGNED_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.INIT_TIMESTAMP;
import static io.mlvpn.core.session.HandshakeFormat.PUBLIC_KEY_LENGTH;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.loop.Clock;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The server side of the handshake (docs/protocol.md, section 5, "Server on INIT"). For each
 * HANDSHAKE_INIT it checks, in this order and stopping at the first failure: length exactly 74,
 * version and type, HMAC, the per-source rate limit, a timestamp strictly greater than the last
 * accepted one (the last accepted INIT itself is answered again), and the cipher (a mismatch is
 * answered with a HANDSHAKE_REJECT). Otherwise it draws an ephemeral key pair, derives the
 * session keys and writes a HANDSHAKE_RESPONSE. A datagram that fails a check gets nothing
 * written; this class counts and logs nothing, the caller does both by {@link Reply#status()}.
 *
 * <p>One per tunnel. Safe for concurrent use: {@link #respond} takes a lock, which is fine
 * because handshakes are rare and never on the per-packet path.
 */
public final class HandshakeResponder {
    /** Length of a HANDSHAKE_RESPONSE on the wire, in bytes: less than the INIT's 74. */
    public static final int RESPONSE_LENGTH = HandshakeFormat.RESPONSE_LENGTH;
    /** Length of a HANDSHAKE_REJECT on the wire, in bytes. */
    public static final int REJECT_LENGTH = HandshakeFormat.REJECT_LENGTH;

    private final HandshakeKey key;
    private final HandshakeMac mac;
    private final CipherSuite cipher;
    private final Clock clock;
    private final HandshakeRateLimiter rateLimiter;
    private final Supplier<byte[]> privateKeys;
    /**
     * What this side says in the handshake about DATA_PARTIAL_CHECKSUM: every engine of this
     * version takes them (it completes what its device cannot), so only tests turn it off, to play
     * a peer that does not.
     */
    private boolean takesPartialChecksums = true;

    // Guarded by this: the last accepted INIT, answered again when retransmitted.
    private long lastAcceptedTimestampMicros = Long.MIN_VALUE;
    private final byte[] lastInitPayload = new byte[INIT_SIGNED_LENGTH - Header.LENGTH];
    private int lastSessionId;
    private byte[] lastServerPublic;
    private SessionKeys lastKeys;

    /**
     * Uses a {@link HandshakeRateLimiter} with the protocol's defaults.
     *
     * @param random source of the ephemeral private keys
     * @param clock drives the rate limiter and stamps {@link SessionKeys#createdNanos()}
     */
    public HandshakeResponder(HandshakeKey key, CipherSuite cipher, SecureRandom random, Clock clock) {
        this(key, cipher, clock, new HandshakeRateLimiter(clock), HandshakeInitiator.randomPrivateKeys(random));
    }

    /** For tests and vectors: a given rate limiter and source of ephemeral private keys. */
    HandshakeResponder(HandshakeKey key, CipherSuite cipher, Clock clock, HandshakeRateLimiter rateLimiter,
            Supplier<byte[]> privateKeys) {
        this.key = Objects.requireNonNull(key, "key");
        this.mac = key.newMac();
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.privateKeys = Objects.requireNonNull(privateKeys, "privateKeys");
    }

    /**
     * Answers one received HANDSHAKE_INIT.
     *
     * @param in the datagram, {@code length} bytes at {@code off}
     * @param source the datagram's source address, for the rate limit
     * @param out where the answer goes; needs {@link #RESPONSE_LENGTH} bytes at {@code outOff}
     * @param linkId the answering link's id, for the answer's header
     * @param seq the answering link's packet counter
     * @param stamp the answer's header stamp
     * @param echo the answer's header echo, or {@link Header#NO_ECHO}
     * @return what happened; {@link Reply#length()} bytes were written to {@code out}
     * @throws IndexOutOfBoundsException when a range lies outside its array
     */
    public synchronized Reply respond(byte[] in, int off, int length, InetAddress source, byte[] out, int outOff,
            int linkId, long seq, int stamp, int echo) {
        Objects.checkFromIndexSize(off, length, in.length);
        Objects.checkFromIndexSize(outOff, RESPONSE_LENGTH, out.length);
        Objects.requireNonNull(source, "source");
        if (length != INIT_LENGTH || Header.version(in, off) != Header.VERSION
                || Header.type(in, off) != PacketType.HANDSHAKE_INIT || Header.sessionId(in, off) == 0) {
            return Reply.MALFORMED;
        }
        if (!mac.verify(in, off, length)) {
            return Reply.AUTH;
        }
        if (!rateLimiter.tryAcquire(source)) {
            return Reply.RATE;
        }
        int sessionId = Header.sessionId(in, off);
        long timestampMicros = Header.getLong(in, off + INIT_TIMESTAMP);
        if (timestampMicros <= lastAcceptedTimestampMicros) {
            if (timestampMicros == lastAcceptedTimestampMicros && isLastAccepted(in, off, sessionId)) {
                writeResponse(out, outOff, linkId, lastSessionId, seq, stamp, echo, lastServerPublic);
                return new Reply(Reply.Status.RETRANSMIT, RESPONSE_LENGTH, lastKeys, null);
            }
            return Reply.REPLAY;
        }
        int cipherId = in[off + INIT_CIPHER] & 0xFF;
        if (cipherId != cipher.wireId()) {
            Header.write(out, outOff, PacketType.HANDSHAKE_REJECT, linkId, sessionId, seq, stamp, echo, 0);
            out[outOff + HandshakeFormat.REJECT_REASON] = (byte) HandshakeFormat.REASON_CIPHER_MISMATCH;
            out[outOff + HandshakeFormat.REJECT_CIPHER] = (byte) cipher.wireId();
            mac.sign(out, outOff, HandshakeFormat.REJECT_SIGNED_LENGTH);
            return new Reply(Reply.Status.REJECTED_CIPHER, REJECT_LENGTH, null, CipherSuite.fromWireId(cipherId));
        }
        return accept(in, off, sessionId, timestampMicros, out, outOff, linkId, seq, stamp, echo);
    }

    private Reply accept(byte[] in, int off, int sessionId, long timestampMicros, byte[] out, int outOff,
            int linkId, long seq, int stamp, int echo) {
        byte[] clientPublic = Arrays.copyOfRange(in, off + INIT_PUBLIC, off + INIT_PUBLIC + PUBLIC_KEY_LENGTH);
        byte[] privateKey = privateKeys.get();
        byte[] okm;
        byte[] serverPublic;
        try {
            serverPublic = KeyExchange.publicFromPrivate(privateKey);
            okm = KeyExchange.deriveOkm(key, privateKey, clientPublic, clientPublic, serverPublic, sessionId, cipher);
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
        lastAcceptedTimestampMicros = timestampMicros;
        System.arraycopy(in, off + Header.LENGTH, lastInitPayload, 0, lastInitPayload.length);
        lastSessionId = sessionId;
        lastServerPublic = serverPublic;
        lastKeys = keys;
        writeResponse(out, outOff, linkId, sessionId, seq, stamp, echo, serverPublic);
        return new Reply(Reply.Status.ACCEPTED, RESPONSE_LENGTH, keys, null);
    }

    /** The same offer (payload and session id) as the last accepted INIT. */
    private boolean isLastAccepted(byte[] in, int off, int sessionId) {
        if (lastKeys == null || sessionId != lastSessionId) {
            return false;
        }
        int from = off + Header.LENGTH;
        return Arrays.equals(in, from, from + lastInitPayload.length, lastInitPayload, 0, lastInitPayload.length);
    }

    private void writeResponse(byte[] out, int outOff, int linkId, int sessionId, long seq, int stamp, int echo,
            byte[] serverPublic) {
        Header.write(out, outOff, PacketType.HANDSHAKE_RESPONSE, linkId, sessionId, seq, stamp, echo, 0);
        System.arraycopy(serverPublic, 0, out, outOff + HandshakeFormat.RESPONSE_PUBLIC, PUBLIC_KEY_LENGTH);
        out[outOff + HandshakeFormat.RESPONSE_CIPHER] = (byte) cipher.wireId();
        out[outOff + HandshakeFormat.RESPONSE_FLAGS] =
                (byte) (takesPartialChecksums ? HandshakeFormat.RESPONSE_FLAG_PARTIAL_CHECKSUMS : 0);
        mac.sign(out, outOff, HandshakeFormat.RESPONSE_SIGNED_LENGTH);
    }

    /** Whether this side says it takes DATA_PARTIAL_CHECKSUM; false plays a peer that does not (tests). */
    void takesPartialChecksums(boolean takes) {
        this.takesPartialChecksums = takes;
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
            /** Wrong length, version, type or session id, or an unusable public key; nothing written. */
            DROPPED_MALFORMED,
            /** The HMAC failed; nothing written. */
            DROPPED_AUTH,
            /** The source address exceeded its handshake rate; nothing written. */
            DROPPED_RATE,
            /** The timestamp is not newer than the last accepted INIT's; nothing written. */
            DROPPED_REPLAY
        }

        static final Reply MALFORMED = new Reply(Status.DROPPED_MALFORMED, 0, null, null);
        static final Reply AUTH = new Reply(Status.DROPPED_AUTH, 0, null, null);
        static final Reply RATE = new Reply(Status.DROPPED_RATE, 0, null, null);
        static final Reply REPLAY = new Reply(Status.DROPPED_REPLAY, 0, null, null);

        private final Status status;
        private final int length;
        private final SessionKeys keys;
        private final CipherSuite peerCipher;

        Reply(Status status, int length, SessionKeys keys, CipherSuite peerCipher) {
            this.status = status;
            this.length = length;
            this.keys = keys;
            this.peerCipher = peerCipher;
        }

        /** What happened. */
        public Status status() {
            return status;
        }

        /** Bytes written to the output array: 66, 34, or 0 when dropped. */
        public int length() {
            return length;
        }

        /** The session's keys for {@link Status#ACCEPTED} and {@link Status#RETRANSMIT}, else {@code null}. */
        public SessionKeys keys() {
            return keys;
        }

        /**
         * The client's cipher for {@link Status#REJECTED_CIPHER}; {@code null} otherwise, and when
         * the client's cipher id is unknown to this version.
         */
        public CipherSuite peerCipher() {
            return peerCipher;
        }

        @Override
        public String toString() {
            return "Reply[" + status + ", " + length + " bytes]";
        }
    }
}
