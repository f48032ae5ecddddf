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
    CLOSED,
    /**
     * Stopped by an internal failure (an engine thread ended while the tunnel was running, logged
     * at ERROR with its cause); closed like {@link #CLOSED} and cannot be started again.
     */
    FAILED
}
