package io.mlvpn.api.transport;

import java.io.IOException;

/**
 * Opens datagram transports of one kind ({@code datagram-channel}, {@code linux-udp}). Found
 * through {@link java.util.ServiceLoader} or handed to the engine directly. Implementations are
 * stateless and safe for concurrent use, with a public no-argument constructor.
 *
 * <p>Selection: a link names its provider ({@code link.NAME.transport}); otherwise the available
 * provider with the highest {@link #priority()} that {@link #supports} the link's configuration
 * wins, ties broken by {@link #name()}.
 */
public interface TransportProvider {

    /** Short unique name, for configuration and messages. */
    String name();

    /** Higher wins; a platform's native provider uses 100, the portable one 0. */
    int priority();

    /** Whether this provider can open transports here; probed once, cheap to call. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, or {@code "available"}. */
    String unavailabilityCause();

    /**
     * Whether this provider can honour everything the configuration asks (for example a bind
     * interface, which the portable provider cannot).
     */
    boolean supports(TransportConfig config);

    /**
     * Opens and binds a transport.
     *
     * @throws IOException naming the failing call and its cause
     */
    DatagramTransport open(TransportConfig config) throws IOException;
}
