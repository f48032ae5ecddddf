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
}
