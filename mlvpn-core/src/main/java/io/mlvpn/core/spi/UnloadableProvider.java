package io.mlvpn.core.spi;

import java.io.IOException;

/**
 * A stand-in for a provider that {@link java.util.ServiceLoader} could not load or instantiate: it
 * keeps its place in the list, named and never available, supporting nothing, so that selection
 * reports why; opening it throws. An SPI's stand-in is a subclass that only names the provider
 * interface, whose methods these implement (the compiler bridges the generic ones):
 *
 * <pre>{@code
 * final class Unloadable extends UnloadableProvider<DeviceType, DeviceConfig, PacketDevice>
 *         implements DeviceProvider { ... }
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param <R> what the SPI's {@code supports} takes
 * @param <C> what its {@code open} takes
 * @param <T> what its {@code open} returns
 */
public abstract class UnloadableProvider<R, C, T> {
    private final String noun;
    private final String name;
    private final String cause;

    /**
     * A stand-in.
     *
     * @param noun the SPI's word for messages ({@code device}, {@code transport})
     * @param name the provider's class name, or a placeholder when even that is unknown
     * @param cause what failed ({@code failed to load: ...})
     */
    protected UnloadableProvider(String noun, String name, String cause) {
        this.noun = noun;
        this.name = name;
        this.cause = cause;
    }

    /** The provider's class name, or the placeholder. */
    public final String name() {
        return name;
    }

    /** The lowest there is: a stand-in sorts after every real provider. */
    public final int priority() {
        return Integer.MIN_VALUE;
    }

    /** Never. */
    public final boolean isAvailable() {
        return false;
    }

    /** What failed. */
    public final String unavailabilityCause() {
        return cause;
    }

    /** Nothing. */
    public final boolean supports(R requirement) {
        return false;
    }

    /**
     * Fails.
     *
     * @throws IOException always: {@code device provider NAME failed to load: ...}
     */
    public final T open(C config) throws IOException {
        throw new IOException(noun + " provider " + name + " " + cause);
    }
}
