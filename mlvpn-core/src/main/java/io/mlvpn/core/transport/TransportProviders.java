package io.mlvpn.core.transport;

import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import io.mlvpn.core.spi.ProviderSelector;
import io.mlvpn.core.spi.UnloadableProvider;
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
    private static final ProviderSelector<TransportProvider, TransportConfig> SELECTOR =
            new ProviderSelector<>(new Kind(), LOG);

    /** Priority descending, then name. */
    public static final Comparator<TransportProvider> ORDER = SELECTOR.order();

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
        return SELECTOR.load(loader);
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
        return SELECTOR.select(providers, config, requestedName);
    }

    /** {@link #select} then {@link TransportProvider#open}. */
    public static DatagramTransport open(List<TransportProvider> providers, TransportConfig config,
            String requestedName) throws IOException {
        return select(providers, config, requestedName).open(config);
    }

    /** What the selector needs to know about transport providers. */
    private static final class Kind extends ProviderSelector.Kind<TransportProvider, TransportConfig> {
        Kind() {
            super(TransportProvider.class, "transport", Unloadable::new, TransportProvider::name,
                    TransportProvider::priority, TransportProvider::isAvailable,
                    TransportProvider::unavailabilityCause, TransportProvider::supports);
        }

        @Override
        protected String unsupported(TransportConfig config) {
            // The SPI does not say why; a bind interface is the one thing providers differ on.
            return config.bindInterface().isPresent()
                    ? "does not support bind.interface" : "does not support this configuration";
        }

        @Override
        protected String describe(TransportConfig config) {
            String host = config.bindAddress().getHostString();
            String bind = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + config.bindAddress().getPort();
            return config.bindInterface().isPresent()
                    ? "bind " + bind + ", interface " + config.bindInterface().get() : "bind " + bind;
        }

        @Override
        protected String target(TransportConfig config) {
            return describe(config);
        }
    }

    /** Stands in the list for a provider that could not be loaded. */
    private static final class Unloadable extends UnloadableProvider<TransportConfig, TransportConfig, DatagramTransport>
            implements TransportProvider {
        Unloadable(String name, String cause) {
            super("transport", name, cause);
        }
    }
}
