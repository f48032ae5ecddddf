package io.mlvpn.core;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.link.LinkSession;
import io.mlvpn.core.session.SessionKeys;
import io.mlvpn.core.wire.Header;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One established session: its keys, and the per-link state that lives and dies with them. A new
 * session (first handshake or rekey) starts every link's send counter at 0 and every receive
 * window empty; nonces stay unique because each session has its own keys.
 *
 * <p>Threading: immutable fields are safe everywhere; {@code sendCounters} are atomic (several
 * threads send on a link); {@code highestAccepted} is raised by the receiver that owns the
 * sending link; {@link #view(int) view(i)} belongs to link {@code i}'s receiver thread.
 */
final class Session implements LinkSession {
    final int id;
    final CipherSuite cipher;
    final long lineage;
    final long establishedNanos;
    /** Whether the peer takes DATA_PARTIAL_CHECKSUM (said in the handshake). */
    final boolean peerTakesPartialChecksums;
    private final byte[] sendKey;
    private final byte[] receiveKey;
    final AtomicLongArray sendCounters;
    /**
     * Per sending link of the peer: the highest sequence accepted from it in this session, -1
     * before the first; what a receiving link that does not own it compares copies with.
     */
    final AtomicLongArray highestAccepted;
    /**
     * Per sending link of the peer: when its owner last accepted one of its datagrams in this
     * session (the session's start before the first); what a takeover's silence is measured from.
     */
    final AtomicLongArray lastAcceptedNanos;
    private final SenderWindows[] views;
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
        long[] none = new long[MAX_LINKS];
        java.util.Arrays.fill(none, -1);
        this.highestAccepted = new AtomicLongArray(none);
        java.util.Arrays.fill(none, establishedNanos);
        this.lastAcceptedNanos = new AtomicLongArray(none);
        this.views = new SenderWindows[MAX_LINKS];
    }

    /**
     * Receiving link {@code i}'s replay windows and takeover evidence in this session, made on
     * first use; receiver thread of that link only.
     */
    SenderWindows view(int i) {
        SenderWindows v = views[i];
        if (v == null) {
            v = new SenderWindows();
            views[i] = v;
        }
        return v;
    }

    /** Records that sending link {@code sender}'s sequence {@code seq} was accepted at {@code nowNanos}. */
    void accepted(int sender, long seq, long nowNanos) {
        lastAcceptedNanos.lazySet(sender, nowNanos);
        long h;
        // A CAS loop rather than a plain write: for a moment after a takeover two receivers may
        // accept the same sending link's datagrams, and the highest must never go down.
        while (seq > (h = highestAccepted.get(sender))) {
            if (highestAccepted.compareAndSet(sender, h, seq)) {
                return;
            }
        }
    }

    @Override
    public long sequencesSent(int link) {
        return sendCounters.get(link);
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
