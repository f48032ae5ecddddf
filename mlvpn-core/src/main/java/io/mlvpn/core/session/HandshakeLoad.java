package io.mlvpn.core.session;

/**
 * Tells when the server is under handshake load (docs/protocol.md, section 5, "Under load"): more
 * than {@link #DEFAULT_THRESHOLD} fresh authentic INITs arrived within the last second. A real
 * client sends one fresh offer per rekey (every 2 minutes) or per second while it looks for a lost
 * server, so only a flood passes the threshold, and load ends one second after the flood does.
 *
 * <p>Not thread-safe: used under the responder's lock. Allocation-free: it keeps the arrival
 * times of the last {@code threshold} INITs in a ring.
 */
final class HandshakeLoad {
    /** Fresh INITs a second above which the server asks for cookies. */
    static final int DEFAULT_THRESHOLD = 10;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final long[] arrivals;
    private int next;
    private int count;

    HandshakeLoad(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold < 1: " + threshold);
        }
        this.arrivals = new long[threshold];
    }

    /** Records a fresh INIT at {@code nowNanos}; true when it is more than the threshold in a second. */
    boolean arrive(long nowNanos) {
        // The slot to overwrite holds the oldest of the last `threshold` arrivals.
        boolean loaded = count == arrivals.length && nowNanos - arrivals[next] < WINDOW_NANOS;
        arrivals[next] = nowNanos;
        next = (next + 1) % arrivals.length;
        if (count < arrivals.length) {
            count++;
        }
        return loaded;
    }
}
