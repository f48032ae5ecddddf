package io.mlvpn.api;

/** The state of one link. */
public enum LinkState {
    /** Not usable: never came up, timed out, or closed. Probed in the background. */
    DOWN,
    /** Trying to reach the peer: handshake or first keepalive under way. */
    CONNECTING,
    /** Authenticated traffic flows both ways; the scheduler may use it. */
    UP;

    /** True when the scheduler may send data on a link in this state. */
    public boolean usable() {
        return this == UP;
    }
}
