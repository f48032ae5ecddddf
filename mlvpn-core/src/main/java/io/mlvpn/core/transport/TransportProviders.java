package io.mlvpn.core.transport;

import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
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
 * Finds {@link TransportProvider}s on the class path and chooses one for a link, explaining the
 * choice when none fits. Stateless; safe for concurrent use.
 *
 * <p>Order: {@link TransportProvider#priority()} descending, then {@link TransportProvider#name()}.
 */
public final class TransportProviders {
    private static final Logger LOG = LoggerFactory.getLogger(TransportProviders.class);
    /** Gives up on a broken service file after this many errors. */
    private static final int MAX_LOAD_ERRORS = 64;

    /** Priority descending, then name. */
    public static final Comparator<TransportProvider> ORDER =
            Comparator.comparingInt(TransportProvider::priority).reversed().thenComparing(TransportProvider::name);

    private TransportProviders() {
    }

    /**
     * Loads every provider {@link ServiceLoader} finds through {@code loader}, sorted by
     * {@link #ORDER}. A provider that cannot be loaded or instantiated does not stop the others:
     * it is logged and stands in the list as an unavailable provider whose
     * {@link TransportProvider#unavailabilityCause()} says what failed, so that {@link #select}
     * reports it.
     */
    public static List<TransportProvider> load(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        List<TransportProvider> providers = new ArrayList<>();
        Iterator<ServiceLoader.Provider<TransportProvider>> it =
                ServiceLoader.load(TransportProvider.class, loader).stream().iterator();
        int errors = 0;
        while (errors < MAX_LOAD_ERRORS) {
            ServiceLoader.Provider<TransportProvider> candidate;
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
            LOG.info("transport providers: {}", describe(providers));
        }
        return providers;
    }

    private static TransportProvider unloadable(String name, Throwable error) {
        LOG.warn("transport provider {} failed to load", name, error);
        return new UnloadableTransportProvider(name, "failed to load: " + messageOf(error));
    }

    /**
     * Chooses the provider to open a link's transport: the one named {@code requestedName} when
     * given, otherwise the first in {@link #ORDER} that is available and supports the
     * configuration.
     *
     * @param requestedName a provider's name ({@code link.NAME.transport}), or {@code null} to
     *     choose automatically
     * @throws IOException when the named provider is unknown, unavailable or does not support the
     *     configuration, or when none fits; the message lists every provider tried and why, for
     *     example {@code no transport provider for bind 0.0.0.0:5080, interface eth1:
     *     linux-udp: not Linux; datagram-channel: does not support bind.interface}
     */
    public static TransportProvider select(List<TransportProvider> providers, TransportConfig config,
            String requestedName) throws IOException {
        Objects.requireNonNull(config, "config");
        List<TransportProvider> sorted = new ArrayList<>(providers);
        sorted.sort(ORDER);
        if (requestedName != null) {
            return selectNamed(sorted, config, requestedName);
        }
        StringBuilder reasons = new StringBuilder();
        for (TransportProvider provider : sorted) {
            String reason = whyNot(provider, config);
            if (reason == null) {
                return provider;
            }
            appendReason(reasons, provider.name(), reason);
        }
        if (sorted.isEmpty()) {
            reasons.append("no providers on the class path");
        }
        throw new IOException("no transport provider for " + describe(config) + ": " + reasons);
    }

    /** {@link #select} then {@link TransportProvider#open}. */
    public static DatagramTransport open(List<TransportProvider> providers, TransportConfig config,
            String requestedName) throws IOException {
        return select(providers, config, requestedName).open(config);
    }

    private static TransportProvider selectNamed(List<TransportProvider> sorted, TransportConfig config,
            String name) throws IOException {
        for (TransportProvider provider : sorted) {
            if (provider.name().equals(name)) {
                String reason = whyNot(provider, config);
                if (reason != null) {
                    throw new IOException("transport provider " + name + " cannot open " + describe(config) + ": "
                            + reason);
                }
                return provider;
            }
        }
        throw new IOException("no transport provider named \"" + name + "\"; "
                + (sorted.isEmpty() ? "no providers on the class path" : "known: " + names(sorted)));
    }

    /** Why {@code provider} cannot open this configuration, or {@code null} when it can. */
    private static String whyNot(TransportProvider provider, TransportConfig config) {
        try {
            if (!provider.isAvailable()) {
                return provider.unavailabilityCause();
            }
            if (!provider.supports(config)) {
                // The SPI does not say why; a bind interface is the one thing providers differ on.
                return config.bindInterface().isPresent()
                        ? "does not support bind.interface" : "does not support this configuration";
            }
            return null;
        } catch (RuntimeException e) {
            return "failed: " + messageOf(e);
        }
    }

    private static String describe(TransportConfig config) {
        String host = config.bindAddress().getHostString();
        String bind = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + config.bindAddress().getPort();
        return config.bindInterface().isPresent()
                ? "bind " + bind + ", interface " + config.bindInterface().get() : "bind " + bind;
    }

    private static void appendReason(StringBuilder reasons, String name, String reason) {
        if (reasons.length() > 0) {
            reasons.append("; ");
        }
        reasons.append(name).append(": ").append(reason);
    }

    private static String names(List<TransportProvider> providers) {
        StringBuilder s = new StringBuilder();
        for (TransportProvider provider : providers) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(provider.name());
        }
        return s.toString();
    }

    private static String describe(List<TransportProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (TransportProvider provider : providers) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(provider.name()).append(" (priority ").append(provider.priority()).append(", ")
                    .append(availability(provider)).append(')');
        }
        return s.toString();
    }

    /** "available" or why not, never throwing: a broken probe must not stop the listing. */
    private static String availability(TransportProvider provider) {
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
    private static final class UnloadableTransportProvider implements TransportProvider {
        private final String name;
        private final String cause;

        UnloadableTransportProvider(String name, String cause) {
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
        public boolean supports(TransportConfig config) {
            return false;
        }

        @Override
        public DatagramTransport open(TransportConfig config) throws IOException {
            throw new IOException("transport provider " + name + " " + cause);
        }
    }
}
