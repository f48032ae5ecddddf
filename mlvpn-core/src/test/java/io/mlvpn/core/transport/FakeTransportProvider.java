package io.mlvpn.core.transport;

import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
import java.io.IOException;

/** A transport provider whose name, priority, availability and bind-interface support a test chooses. */
class FakeTransportProvider implements TransportProvider {
    private final String name;
    private final int priority;
    private final String unavailabilityCause;
    private final boolean bindsInterfaces;

    FakeTransportProvider(String name, int priority, String unavailabilityCause, boolean bindsInterfaces) {
        this.name = name;
        this.priority = priority;
        this.unavailabilityCause = unavailabilityCause;
        this.bindsInterfaces = bindsInterfaces;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean isAvailable() {
        return unavailabilityCause == null;
    }

    @Override
    public String unavailabilityCause() {
        return unavailabilityCause == null ? "available" : unavailabilityCause;
    }

    @Override
    public boolean supports(TransportConfig config) {
        return bindsInterfaces || config.bindInterface().isEmpty();
    }

    @Override
    public DatagramTransport open(TransportConfig config) throws IOException {
        throw new IOException("fake provider " + name + " opens nothing");
    }

    @Override
    public String toString() {
        return name;
    }
}
