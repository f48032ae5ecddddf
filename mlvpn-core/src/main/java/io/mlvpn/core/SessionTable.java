package io.mlvpn.core;

/**
 * The sessions a tunnel accepts packets under: the current one (used for sending), a pending one
 * (server: answered but not yet confirmed by the client's first packet) and the previous one
 * (still accepted for a grace period after a rekey so no packet in flight is lost).
 *
 * <p>Threading: reads are lock-free volatile reads from any thread; changes happen under this
 * object's lock on the control path (handshakes), never per packet.
 */
final class SessionTable {
    /** How long a replaced session is still accepted for receiving. */
    static final long GRACE_NANOS = 10_000_000_000L;

    private volatile Session current;
    private volatile Session pending;
    private volatile Session previous;

    /** The session to seal with, or null when none is established. */
    Session current() {
        return current;
    }

    /** The session whose id is {@code id} and which is still accepted at {@code now}, or null. */
    Session lookup(int id, long nowNanos) {
        Session s = current;
        if (s != null && s.id == id) {
            return s;
        }
        s = pending;
        if (s != null && s.id == id) {
            return s;
        }
        s = previous;
        if (s != null && s.id == id && nowNanos - s.retireAtNanos < 0) {
            return s;
        }
        return null;
    }

    /** Makes {@code s} current at once (client: the response arrived). */
    synchronized void install(Session s, long nowNanos) {
        retire(current, nowNanos);
        current = s;
        if (pending != null && pending.id == s.id) {
            pending = null;
        }
    }

    /** Keeps {@code s} until the peer confirms it (server: a response was sent). */
    synchronized void offer(Session s) {
        pending = s;
    }

    /**
     * A packet sealed under {@code s} was authenticated: if it is the pending session, it becomes
     * current. Returns true when that happened.
     */
    boolean confirm(Session s, long nowNanos) {
        if (s != pending) {
            return false;
        }
        synchronized (this) {
            if (s != pending) {
                return false;
            }
            retire(current, nowNanos);
            current = s;
            pending = null;
            return true;
        }
    }

    /** Forgets the current session (it stays acceptable for the grace period). */
    synchronized void drop(long nowNanos) {
        retire(current, nowNanos);
        current = null;
    }

    private void retire(Session s, long nowNanos) {
        if (s != null) {
            s.retireAtNanos = nowNanos + GRACE_NANOS;
            previous = s;
        }
    }
}
