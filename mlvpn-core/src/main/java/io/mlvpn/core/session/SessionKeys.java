package io.mlvpn.core.session;

import io.mlvpn.api.crypto.CipherSuite;
import java.util.Arrays;

/**
 * The result of one handshake, seen from one side: the session id, the cipher, and the two
 * directional keys. For the client {@link #sendKey()} is the client-to-server key; for the server
 * it is the server-to-client key (docs/protocol.md, section 5).
 *
 * <p>Instances are immutable apart from {@link #destroy()}, and safe for concurrent use; keys are
 * copied out and never printed.
 */
public final class SessionKeys {
    /** Length of each directional key in bytes. */
    public static final int KEY_LENGTH = 32;

    private final int sessionId;
    private final CipherSuite cipher;
    private final boolean rekey;
    private final boolean peerTakesPartialChecksums;
    private final byte[] sendKey;
    private final byte[] receiveKey;
    private final long createdNanos;

    /** Takes ownership of both key arrays. */
    SessionKeys(int sessionId, CipherSuite cipher, boolean rekey, boolean peerTakesPartialChecksums, byte[] sendKey,
            byte[] receiveKey, long createdNanos) {
        this.sessionId = sessionId;
        this.cipher = cipher;
        this.rekey = rekey;
        this.peerTakesPartialChecksums = peerTakesPartialChecksums;
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
        this.createdNanos = createdNanos;
    }

    /** The session id, 1..65535, carried in every header sealed under these keys. */
    public int sessionId() {
        return sessionId;
    }

    /** The AEAD both ends agreed on. */
    public CipherSuite cipher() {
        return cipher;
    }

    /** The INIT's rekey flag: true when this session replaces a live one (receive state is kept). */
    public boolean rekey() {
        return rekey;
    }

    /**
     * Whether the peer said in the handshake that it takes DATA_PARTIAL_CHECKSUM packets; only
     * then may this side send them (docs/protocol.md, sections 3 and 5).
     */
    public boolean peerTakesPartialChecksums() {
        return peerTakesPartialChecksums;
    }

    /** A copy of the key this side seals with; the caller should wipe it after use. */
    public byte[] sendKey() {
        return sendKey.clone();
    }

    /** A copy of the key this side opens with; the caller should wipe it after use. */
    public byte[] receiveKey() {
        return receiveKey.clone();
    }

    /** {@link io.mlvpn.api.Clock#nanoTime()} when the keys were derived, for the rekey age. */
    public long createdNanos() {
        return createdNanos;
    }

    /** Overwrites both keys with zeros; copies taken earlier are unaffected. */
    public void destroy() {
        Arrays.fill(sendKey, (byte) 0);
        Arrays.fill(receiveKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "SessionKeys[session=" + sessionId + ", cipher=" + cipher.configName() + ", rekey=" + rekey
                + ", peerTakesPartialChecksums=" + peerTakesPartialChecksums + ", keys=redacted]";
    }
}
