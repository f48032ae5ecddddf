package io.mlvpn.core;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.crypto.ReplayWindow;
import io.mlvpn.core.session.SessionKeys;
import io.mlvpn.core.wire.Header;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One established session: its keys, and the per-link state that lives and dies with them. A new
 * session (first handshake or rekey) starts every link's send counter at 0 and every receive
 * window empty; nonces stay unique because each session has its own keys.
 *
 * <p>Threading: immutable fields are safe everywhere; {@code sendCounters} are atomic (several
 * threads send on a link); {@code windows[i]} and {@code peerLinkIds[i]} belong to link
 * {@code i}'s receiver thread.
 */
final class Session {
    final int id;
    final CipherSuite cipher;
    final long lineage;
    final long establishedNanos;
    /** Whether the peer takes DATA_PARTIAL_CHECKSUM (said in the handshake). */
    final boolean peerTakesPartialChecksums;
    private final byte[] sendKey;
    private final byte[] receiveKey;
    final AtomicLongArray sendCounters;
    final ReplayWindow[] windows;
    final int[] peerLinkIds;
    /** When this session stops being accepted for receiving; MAX_VALUE while it is current. */
    volatile long retireAtNanos = Long.MAX_VALUE;

    /** Link ids a session has room for: every id a sender may use. */
    static final int MAX_LINKS = Header.MAX_LINK_ID + 1;

    Session(SessionKeys keys, long lineage, long establishedNanos) {
        this.id = keys.sessionId();
        this.cipher = keys.cipher();
        this.lineage = lineage;
        this.establishedNanos = establishedNanos;
        this.peerTakesPartialChecksums = keys.peerTakesPartialChecksums();
        this.sendKey = keys.sendKey();
        this.receiveKey = keys.receiveKey();
        this.sendCounters = new AtomicLongArray(MAX_LINKS);
        this.windows = new ReplayWindow[MAX_LINKS];
        this.peerLinkIds = new int[MAX_LINKS];
        java.util.Arrays.fill(peerLinkIds, -1);
    }

    /** Link {@code i}'s receive window, made on first use; receiver thread of that link only. */
    ReplayWindow window(int i) {
        ReplayWindow w = windows[i];
        if (w == null) {
            w = new ReplayWindow();
            windows[i] = w;
        }
        return w;
    }

    byte[] sendKey() {
        return sendKey.clone();
    }

    byte[] receiveKey() {
        return receiveKey.clone();
    }

    /** Packets sealed under this session on every link so far. */
    long sealedPackets() {
        long n = 0;
        for (int i = 0; i < sendCounters.length(); i++) {
            n += sendCounters.get(i);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Session[id=" + id + ", cipher=" + cipher.configName() + ", lineage=" + lineage + "]";
    }
}
