package io.mlvpn.core.session;

import static io.mlvpn.core.session.HandshakeFormat.FLAG_PARTIAL_CHECKSUMS;
import static io.mlvpn.core.session.HandshakeFormat.FLAG_REKEY;
import static io.mlvpn.core.session.HandshakeFormat.INIT_CIPHER;
import static io.mlvpn.core.session.HandshakeFormat.INIT_FLAGS;
import static io.mlvpn.core.session.HandshakeFormat.INIT_PUBLIC;
import static io.mlvpn.core.session.HandshakeFormat.INIT_SIGNED_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.INIT_TIMESTAMP;
import static io.mlvpn.core.session.HandshakeFormat.PUBLIC_KEY_LENGTH;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.loop.Clock;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The client side of the handshake (docs/protocol.md, section 5): {@link #begin} draws a fresh
 * ephemeral key pair for a new offer, {@link #writeInit} writes the offer's HANDSHAKE_INIT (the
 * same offer on every link), and {@link #complete} takes the server's RESPONSE or REJECT.
 *
 * <p>One per tunnel. Not thread-safe: use it from one thread at a time (the tunnel's control
 * thread); hand the resulting {@link SessionKeys} to other threads.
 */
public final class HandshakeInitiator {
    /** Length of a HANDSHAKE_INIT on the wire, in bytes. */
    public static final int INIT_LENGTH = HandshakeFormat.INIT_LENGTH;

    private final HandshakeKey key;
    private final HandshakeMac mac;
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

    /** Uses {@link Clock#SYSTEM} for {@link SessionKeys#createdNanos()}. */
    public HandshakeInitiator(HandshakeKey key, CipherSuite cipher, SecureRandom random) {
        this(key, cipher, random, Clock.SYSTEM);
    }

    /**
     * @param random source of the ephemeral private keys
     * @param clock stamps {@link SessionKeys#createdNanos()}
     */
    public HandshakeInitiator(HandshakeKey key, CipherSuite cipher, SecureRandom random, Clock clock) {
        this(key, cipher, clock, randomPrivateKeys(random));
    }

    /** For test vectors: {@code privateKeys} supplies each offer's ephemeral private key. */
    HandshakeInitiator(HandshakeKey key, CipherSuite cipher, Clock clock, Supplier<byte[]> privateKeys) {
        this.key = Objects.requireNonNull(key, "key");
        this.mac = key.newMac();
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
     *     than the previous offer's when not greater, so offers are strictly increasing
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
    }

    /**
     * Writes the pending offer's HANDSHAKE_INIT; may be called for several links.
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
        System.arraycopy(publicKey, 0, b, off + INIT_PUBLIC, PUBLIC_KEY_LENGTH);
        Header.putLong(b, off + INIT_TIMESTAMP, pendingTimestampMicros);
        b[off + INIT_CIPHER] = (byte) cipher.wireId();
        int flags = (pendingRekey ? FLAG_REKEY : 0) | (takesPartialChecksums ? FLAG_PARTIAL_CHECKSUMS : 0);
        b[off + INIT_FLAGS] = (byte) flags;
        mac.sign(b, off, INIT_SIGNED_LENGTH);
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
     * Processes a HANDSHAKE_RESPONSE or HANDSHAKE_REJECT. A RESPONSE is accepted only when it is
     * exactly 66 bytes, its HMAC verifies, its session id is the pending offer's and its cipher is
     * ours; the offer is then cleared and its private key wiped. An authenticated REJECT for the
     * pending offer clears the offer too. Anything else is {@link Outcome.Status#IGNORED} and
     * changes nothing.
     *
     * @param length bytes of the datagram starting at {@code off}
     */
    public Outcome complete(byte[] b, int off, int length) {
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
        return Outcome.ignored("not a handshake answer: " + PacketType.name(type));
    }

    private Outcome completeResponse(byte[] b, int off, int length) {
        if (length != HandshakeFormat.RESPONSE_LENGTH) {
            return Outcome.ignored("response of " + length + " bytes");
        }
        String problem = checkAuthenticAndPending(b, off, length);
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
        return new Outcome(Outcome.Status.ESTABLISHED, keys, null, "established");
    }

    private Outcome completeReject(byte[] b, int off, int length) {
        if (length != HandshakeFormat.REJECT_LENGTH) {
            return Outcome.ignored("reject of " + length + " bytes");
        }
        String problem = checkAuthenticAndPending(b, off, length);
        if (problem != null) {
            return Outcome.ignored(problem);
        }
        int reason = b[off + HandshakeFormat.REJECT_REASON] & 0xFF;
        int cipherId = b[off + HandshakeFormat.REJECT_CIPHER] & 0xFF;
        CipherSuite peer = CipherSuite.fromWireId(cipherId);
        if (reason != HandshakeFormat.REASON_CIPHER_MISMATCH || peer == null) {
            return Outcome.ignored("reject with reason " + reason + " and cipher id " + cipherId);
        }
        clearOffer();
        return new Outcome(Outcome.Status.REJECTED_CIPHER, null, peer,
                "cipher mismatch: server uses " + peer.configName() + ", we use " + cipher.configName());
    }

    /** Null when the answer is authentic and for the pending offer, else why not. */
    private String checkAuthenticAndPending(byte[] b, int off, int length) {
        if (!mac.verify(b, off, length)) {
            return "bad HMAC";
        }
        int sessionId = Header.sessionId(b, off);
        if (pendingSessionId == 0 || sessionId != pendingSessionId) {
            return "session " + sessionId + " not pending";
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
    }

    /** What {@link #complete} made of an answer. Instances are immutable. */
    public static final class Outcome {
        /** The kinds of outcome. */
        public enum Status {
            /** The session is established; {@link #keys()} holds its keys. */
            ESTABLISHED,
            /** The server uses another cipher, {@link #peerCipher()}; retry with backoff. */
            REJECTED_CIPHER,
            /** Not an authentic answer to the pending offer; nothing changed. */
            IGNORED
        }

        private final Status status;
        private final SessionKeys keys;
        private final CipherSuite peerCipher;
        private final String reason;

        Outcome(Status status, SessionKeys keys, CipherSuite peerCipher, String reason) {
            this.status = status;
            this.keys = keys;
            this.peerCipher = peerCipher;
            this.reason = reason;
        }

        static Outcome ignored(String reason) {
            return new Outcome(Status.IGNORED, null, null, reason);
        }

        /** What happened. */
        public Status status() {
            return status;
        }

        /** The session's keys when {@link Status#ESTABLISHED}, else {@code null}. */
        public SessionKeys keys() {
            return keys;
        }

        /** The server's cipher when {@link Status#REJECTED_CIPHER}, else {@code null}. */
        public CipherSuite peerCipher() {
            return peerCipher;
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
