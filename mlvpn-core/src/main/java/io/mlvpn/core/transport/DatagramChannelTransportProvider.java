package io.mlvpn.core.transport;

import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
import java.io.IOException;

/**
 * Opens {@link DatagramChannelTransport}s: the portable provider, available everywhere, named
 * {@value #NAME}, priority 0. It cannot bind a socket to an interface, so it does not support a
 * configuration that names one. Stateless; safe for concurrent use.
 */
public final class DatagramChannelTransportProvider implements TransportProvider {
    /** The provider's name in configuration and messages. */
    public static final String NAME = "datagram-channel";

    /** For {@link java.util.ServiceLoader}. */
    public DatagramChannelTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailabilityCause() {
        return "available";
    }

    /** False when the configuration names a bind interface. */
    @Override
    public boolean supports(TransportConfig config) {
        return config.bindInterface().isEmpty();
    }

    /**
     * @throws IllegalArgumentException when the configuration names a bind interface
     */
    @Override
    public DatagramTransport open(TransportConfig config) throws IOException {
        return DatagramChannelTransport.open(config);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
