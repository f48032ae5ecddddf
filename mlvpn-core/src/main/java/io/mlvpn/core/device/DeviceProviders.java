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
    private static final class Kind implements ProviderSelector.Kind<DeviceProvider, DeviceType> {
        @Override
        public Class<DeviceProvider> type() {
            return DeviceProvider.class;
        }

        @Override
        public String noun() {
            return "device";
        }

        @Override
        public String name(DeviceProvider provider) {
            return provider.name();
        }

        @Override
        public int priority(DeviceProvider provider) {
            return provider.priority();
        }

        @Override
        public boolean isAvailable(DeviceProvider provider) {
            return provider.isAvailable();
        }

        @Override
        public String unavailabilityCause(DeviceProvider provider) {
            return provider.unavailabilityCause();
        }

        @Override
        public boolean supports(DeviceProvider provider, DeviceType type) {
            return provider.supports(type);
        }

        @Override
        public String unsupported(DeviceType type) {
            return "does not support " + type;
        }

        @Override
        public String describe(DeviceType type) {
            return type.toString();
        }

        @Override
        public String target(DeviceType type) {
            return "a " + type + " device";
        }

        @Override
        public DeviceProvider unloadable(String name, String cause) {
            return new UnloadableDeviceProvider(name, cause);
        }
    }

    /** Stands in the list for a provider that could not be loaded. */
    private static final class UnloadableDeviceProvider implements DeviceProvider {
        private final String name;
        private final String cause;

        UnloadableDeviceProvider(String name, String cause) {
            this.name = name;
            this.cause = cause;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return Integer.MIN_VALUE;
        }

        @Override
        public boolean isAvailable() {
            return false;
        }

        @Override
        public String unavailabilityCause() {
            return cause;
        }

        @Override
        public boolean supports(DeviceType type) {
            return false;
        }

        @Override
        public PacketDevice open(DeviceConfig config) throws IOException {
            throw new IOException("device provider " + name + " " + cause);
        }
    }
}
