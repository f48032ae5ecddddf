package io.mlvpn.api;

import io.mlvpn.api.config.TunnelConfig;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A bonded tunnel: one packet device on one side, several links to the peer on the other. Safe for
 * concurrent use.
 *
 * <p>Life cycle: {@link TunnelState#NEW} until {@link #start()}, then {@link TunnelState#DOWN} or
 * {@link TunnelState#UP} as links come and go, and {@link TunnelState#CLOSED} after
 * {@link #close()}, which is idempotent.
 */
public interface Tunnel extends AutoCloseable {

    /** The configuration the tunnel runs with. */
    TunnelConfig config();

    /** The current state. */
    TunnelState state();

    /** The tunnel MTU in bytes: the largest inner packet it carries. */
    int mtu();

    /**
     * The tunnel MTU in force now: {@link #mtu()}, lowered while the probed path MTU of an up
     * link is smaller ({@link Link#pathMtu()}); larger inner packets are answered with "packet too
     * big" at this size.
     */
    default int mtuInForce() {
        return mtu();
    }

    /** The links, in configuration order. */
    List<Link> links();

    /** The link with that name. */
    Optional<Link> link(String name);

    /** A snapshot of counters and per-link statistics. */
    TunnelStats stats();

    /** Adds a listener; events raised after this call reach it. */
    void addListener(TunnelListener listener);

    /** Removes a listener added before; unknown ones are ignored. */
    void removeListener(TunnelListener listener);

    /**
     * Applies a changed configuration without dropping the tunnel (a reload): links added are
     * opened, links removed are told and closed, a link whose addresses, transport or socket buffer changed is reopened, and
     * bandwidths, timeouts and keepalive settings take effect at once. What cannot change while
     * running (mode, cipher, interface settings) is left as it was and reported.
     *
     * @param config the new configuration
     * @return one short sentence per setting that was not applied; empty when all were
     * @throws IllegalStateException when the tunnel is closed
     */
    List<String> reconfigure(TunnelConfig config);

    /**
     * Opens the links' sockets and starts the tunnel's threads. Returns without waiting for a link
     * to come up.
     *
     * @throws IOException when a socket cannot be opened; nothing is left running then
     * @throws IllegalStateException when already started or closed
     */
    void start() throws IOException;

    /**
     * Tells the peer on every up link, stops the threads and closes the sockets. The device is
     * closed only when the tunnel opened it. Idempotent.
     */
    @Override
    void close();
}
