package io.mlvpn.api;

/** The state of a tunnel. */
public enum TunnelState {
    /** Built, not started. */
    NEW,
    /** Started, no link up: packets from the device are dropped and counted. */
    DOWN,
    /** At least one link is up. */
    UP,
    /** Closed; cannot be started again. */
    CLOSED
}
