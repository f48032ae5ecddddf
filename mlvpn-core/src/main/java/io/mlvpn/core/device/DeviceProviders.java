package io.mlvpn.core.device;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
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
    /** Gives up on a broken service file after this many consecutive errors. */
    private static final int MAX_LOAD_ERRORS = 64;

    /** Priority descending, then name. */
    public static final Comparator<DeviceProvider> ORDER =
            Comparator.comparingInt(DeviceProvider::priority).reversed().thenComparing(DeviceProvider::name);

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
        Objects.requireNonNull(loader, "loader");
        List<DeviceProvider> providers = new ArrayList<>();
        Iterator<ServiceLoader.Provider<DeviceProvider>> it =
                ServiceLoader.load(DeviceProvider.class, loader).stream().iterator();
        int errors = 0;
        while (errors < MAX_LOAD_ERRORS) {
            ServiceLoader.Provider<DeviceProvider> candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError e) {
                errors++;
                providers.add(unloadable("unloadable-" + errors, e));
                continue;
            }
            try {
                providers.add(candidate.get());
            } catch (ServiceConfigurationError | RuntimeException e) {
                errors++;
                providers.add(unloadable(candidate.type().getName(), e));
            }
        }
        providers.sort(ORDER);
        if (LOG.isInfoEnabled()) {
            LOG.info("device providers: {}", describe(providers));
        }
        return providers;
    }

    private static DeviceProvider unloadable(String name, Throwable error) {
        LOG.warn("device provider {} failed to load", name, error);
        return new UnloadableDeviceProvider(name, "failed to load: " + messageOf(error));
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
        List<DeviceProvider> sorted = new ArrayList<>(providers);
        sorted.sort(ORDER);
        if (requestedName != null) {
            return selectNamed(sorted, type, requestedName);
        }
        StringBuilder reasons = new StringBuilder();
        for (DeviceProvider provider : sorted) {
            String reason = whyNot(provider, type);
            if (reason == null) {
                return provider;
            }
            appendReason(reasons, provider.name(), reason);
        }
        if (sorted.isEmpty()) {
            reasons.append("no providers on the class path");
        }
        throw new IOException("no device provider for " + type + ": " + reasons);
    }

    /** {@link #select} then {@link DeviceProvider#open}. */
    public static PacketDevice open(List<DeviceProvider> providers, DeviceConfig config, String requestedName)
            throws IOException {
        return select(providers, config.type(), requestedName).open(config);
    }

    private static DeviceProvider selectNamed(List<DeviceProvider> sorted, DeviceType type, String name)
            throws IOException {
        for (DeviceProvider provider : sorted) {
            if (provider.name().equals(name)) {
                String reason = whyNot(provider, type);
                if (reason != null) {
                    throw new IOException("device provider " + name + " cannot open a " + type + " device: " + reason);
                }
                return provider;
            }
        }
        throw new IOException("no device provider named \"" + name + "\"; "
                + (sorted.isEmpty() ? "no providers on the class path" : "known: " + names(sorted)));
    }

    /** Why {@code provider} cannot open a device of {@code type}, or {@code null} when it can. */
    private static String whyNot(DeviceProvider provider, DeviceType type) {
        try {
            if (!provider.isAvailable()) {
                return provider.unavailabilityCause();
            }
            if (!provider.supports(type)) {
                return "does not support " + type;
            }
            return null;
        } catch (RuntimeException e) {
            return "failed: " + messageOf(e);
        }
    }

    private static void appendReason(StringBuilder reasons, String name, String reason) {
        if (reasons.length() > 0) {
            reasons.append("; ");
        }
        reasons.append(name).append(": ").append(reason);
    }

    private static String names(List<DeviceProvider> providers) {
        StringBuilder s = new StringBuilder();
        for (DeviceProvider provider : providers) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(provider.name());
        }
        return s.toString();
    }

    private static String describe(List<DeviceProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (DeviceProvider provider : providers) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(provider.name()).append(" (priority ").append(provider.priority()).append(", ")
                    .append(availability(provider)).append(')');
        }
        return s.toString();
    }

    /** "available" or why not, never throwing: a broken probe must not stop the listing. */
    private static String availability(DeviceProvider provider) {
        try {
            return provider.isAvailable() ? "available" : provider.unavailabilityCause();
        } catch (RuntimeException e) {
            return "failed: " + messageOf(e);
        }
    }

    private static String messageOf(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        return message == null ? cause.getClass().getName() : cause.getClass().getSimpleName() + ": " + message;
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
