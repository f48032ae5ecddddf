package io.mlvpn.api.device;

import java.io.IOException;

/**
 * Opens packet devices of one kind (Linux tun, BSD tun, in-memory, ...). Found through
 * {@link java.util.ServiceLoader} or handed to the engine directly. Implementations are stateless
 * and safe for concurrent use, with a public no-argument constructor.
 *
 * <p>Selection: among available providers that support the requested type, the one with the
 * highest {@link #priority()} wins (ties broken by {@link #name()}), unless the configuration names
 * one.
 */
public interface DeviceProvider {

    /** Short unique name, for configuration and messages ({@code linux-tun}). */
    String name();

    /** Higher wins; a platform's native provider uses 100, portable fallbacks 0. */
    int priority();

    /** Whether this provider can open a device here; probed once, cheap to call. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, or {@code "available"}. */
    String unavailabilityCause();

    /** Whether this provider can open devices of the given type. */
    boolean supports(DeviceType type);

    /**
     * Opens (creates) a device.
     *
     * @throws IOException naming the failing call and its cause
     */
    PacketDevice open(DeviceConfig config) throws IOException;
}
