package io.mlvpn.api;

/**
 * Receives a tunnel's events. Every method has an empty default, so implementations override only
 * what they need.
 *
 * <p><b>Contract.</b> Methods are called from the tunnel's timer thread, one at a time, in the order
 * events happened. They must be fast, must not block, must not throw (a thrown exception is logged
 * and ignored) and must not call back into the tunnel's start or close.
 */
public interface TunnelListener {
    /** A listener that ignores everything. */
    TunnelListener NONE = new TunnelListener() {
    };

    /** The tunnel went from {@code from} to {@code to}. */
    default void tunnelStateChanged(TunnelState from, TunnelState to) {
    }

    /** A link changed state. */
    default void linkStateChanged(LinkEvent event) {
    }

    /**
     * A link's probed path MTU changed (the link's path carries datagrams of at most
     * {@code pathMtu} bytes of UDP payload), and with it, possibly, the tunnel MTU in force
     * ({@code tunnelMtu}: larger inner packets are answered with "packet too big").
     */
    default void pathMtuChanged(String linkName, int pathMtu, int tunnelMtu) {
    }
}
