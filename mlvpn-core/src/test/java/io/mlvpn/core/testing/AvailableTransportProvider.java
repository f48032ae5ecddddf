package io.mlvpn.core.testing;

import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;

/**
 * A transport provider for tests that is always available: its name and priority are given, it
 * supports every configuration unless a subclass says otherwise, and only {@code open} is left to
 * write.
 */
public abstract class AvailableTransportProvider implements TransportProvider {
    private final String name;
    private final int priority;

    protected AvailableTransportProvider(String name, int priority) {
        this.name = name;
        this.priority = priority;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final boolean isAvailable() {
        return true;
    }

    @Override
    public final String unavailabilityCause() {
        return "available";
    }

    @Override
    public boolean supports(TransportConfig config) {
        return true;
    }
}
