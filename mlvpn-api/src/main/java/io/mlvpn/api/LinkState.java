package io.mlvpn.api;

/**
 * The state of one link. The order of use for data is: {@link #UP} links that are not
 * fallback-only; when none, {@code UP} fallback-only links; when none, {@linkplain #degraded()
 * degraded} links of either kind. Every change carries a reason in its {@link LinkEvent}.
 */
public enum LinkState {
    /** Not usable: never came up, timed out, or closed. Probed in the background. */
    DOWN,
    /** Trying to reach the peer: handshake or first keepalive under way. */
    CONNECTING,
    /**
     * Came back after being down: authenticated traffic flows again, and the link is being measured
     * for a few round trips before it carries data again.
     */
    PROBATION,
    /** Healthy: authenticated traffic flows both ways; the scheduler uses it. */
    UP,
    /**
     * Carrying data, but nothing it sent was acknowledged for longer than its round-trip statistics
     * allow (silent, or its sends fail while the peer is still heard): no new data goes there.
     */
    SUSPECT,
    /** Up, but losing more than its loss tolerance. */
    LOSSY,
    /** Up, but its round-trip time is above its latency tolerance. */
    HIGH_LATENCY;

    /** True for a healthy link the scheduler uses first. */
    public boolean usable() {
        return this == UP;
    }

    /** True for a link that carries data only when no healthy link is left. */
    public boolean degraded() {
        return this == LOSSY || this == HIGH_LATENCY || this == PROBATION;
    }

    /** True while authenticated traffic flows on the link, healthy or not. */
    public boolean connected() {
        return this == UP || this == PROBATION || this == SUSPECT || this == LOSSY || this == HIGH_LATENCY;
    }
}
