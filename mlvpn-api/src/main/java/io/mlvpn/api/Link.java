package io.mlvpn.api;

import io.mlvpn.api.config.LinkConfig;

/**
 * One path of a tunnel: a UDP socket bound on one uplink and its peer. Safe for concurrent use:
 * every method reads a consistent snapshot.
 */
public interface Link {

    /** The configured name; local only, never sent on the wire. */
    String name();

    /** The configuration the link runs with. */
    LinkConfig config();

    /** The current state. */
    LinkState state();

    /** A snapshot of measurements and counters. */
    LinkStats stats();

    /**
     * The largest datagram (UDP payload bytes) this link's path was found to carry by path-MTU
     * probing, or 0 while it is not probed (the link is not up, or the peer does not answer probes).
     */
    default int pathMtu() {
        return 0;
    }
}
