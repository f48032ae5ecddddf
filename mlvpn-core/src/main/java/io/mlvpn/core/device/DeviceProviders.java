package io.mlvpn.core.device;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import io.mlvpn.core.spi.ProviderSelector;
import io.mlvpn.core.spi.UnloadableProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link DeviceProvider}s on the class path and chooses one, explaining the choice when none
 * fits. Stateless; safe for concurrent use.
 *
 * <p>Order: {@link DeviceProvider#priority()} descending, then {@link DeviceProvider#name()}.
 */
public final class DeviceProviders {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceProviders.class);
    private static final ProviderSelector<DeviceProvider, DeviceType> SELECTOR =
            new ProviderSelector<>(new Kind(), LOG);

    private static final AtomicBoolean OFFLOADS_REFUSAL_LOGGED = new AtomicBoolean();

    /** Priority descending, then name. */
    public static final Comparator<DeviceProvider> ORDER = SELECTOR.order();

    private DeviceProviders() {
    }

    /**
     * Loads every provider {@link ServiceLoader} finds through {@code loader}, sorted by
     * {@link #ORDER}. A provider that cannot be loaded or instantiated does not stop the others:
     * it is logged and stands in the list as an unavailable provider whose
     * {@link DeviceProvider#unavailabilityCause()} says what failed, so that {@link #select}
     * reports it.
     */
    public static List<DeviceProvider> load(ClassLoader loader) {
        return SELECTOR.load(loader);
    }

    /**
     * Chooses the provider to open a device of {@code type}: the one named {@code requestedName}
     * when given, otherwise the first in {@link #ORDER} that is available and supports the type.
     *
     * @param requestedName a provider's name, or {@code null} to choose automatically
     * @throws IOException when the named provider is unknown, unavailable or does not support the
     *     type, or when none fits; the message lists every provider tried and why it did not fit,
     *     for example {@code no device provider for TUN: linux-tun: /dev/net/tun: EACCES; bsd-tun: not a BSD}
     */
    public static DeviceProvider select(List<DeviceProvider> providers, DeviceType type, String requestedName)
            throws IOException {
        Objects.requireNonNull(type, "type");
        return SELECTOR.select(providers, type, requestedName);
    }

    /** {@link #select} then {@link #open(DeviceProvider, DeviceConfig)}. */
    public static PacketDevice open(List<DeviceProvider> providers, DeviceConfig config, String requestedName)
            throws IOException {
        return open(select(providers, config.type(), requestedName), config);
    }

    /**
     * {@link DeviceProvider#open}, then logs {@link PacketDevice#offloadsRefused()} when the device
     * reports it (device modules have no logger): the first time in the process at INFO, later
     * ones at DEBUG, since a device reopened on restart refuses for the same reason.
     */
    public static PacketDevice open(DeviceProvider provider, DeviceConfig config) throws IOException {
        PacketDevice device = provider.open(config);
        Optional<String> refused = device.offloadsRefused();
        if (refused.isPresent()) {
            String message = "device \"{}\": {}";
            if (OFFLOADS_REFUSAL_LOGGED.compareAndSet(false, true)) {
                LOG.info(message, device.name(), refused.get());
            } else {
                LOG.debug(message, device.name(), refused.get());
            }
        }
        return device;
    }

    /** What the selector needs to know about device providers. */
    private static final class Kind extends ProviderSelector.Kind<DeviceProvider, DeviceType> {
        Kind() {
            super(DeviceProvider.class, "device", Unloadable::new, DeviceProvider::name, DeviceProvider::priority,
                    DeviceProvider::isAvailable, DeviceProvider::unavailabilityCause, DeviceProvider::supports);
        }

        @Override
        protected String unsupported(DeviceType type) {
            return "does not support " + type;
        }

        @Override
        protected String describe(DeviceType type) {
            return type.toString();
        }

        @Override
        protected String target(DeviceType type) {
            return "a " + type + " device";
        }
    }

    /** Stands in the list for a provider that could not be loaded. */
    private static final class Unloadable extends UnloadableProvider<DeviceType, DeviceConfig, PacketDevice>
            implements DeviceProvider {
        Unloadable(String name, String cause) {
            super("device", name, cause);
        }
    }
}
