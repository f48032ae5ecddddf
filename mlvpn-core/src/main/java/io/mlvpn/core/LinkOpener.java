package io.mlvpn.core;

import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
import io.mlvpn.core.transport.TransportProviders;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a link's addresses, chooses its transport provider and opens its socket. Called by
 * {@code start()} and by the timer thread when a link's socket must be (re)opened.
 */
final class LinkOpener {
    private final List<TransportProvider> providers;
    private final boolean client;

    LinkOpener(List<TransportProvider> providers, boolean client) {
        this.providers = providers;
        this.client = client;
    }

    /** The client's remote address for a link, resolved now. */
    InetSocketAddress resolveRemote(LinkConfig link) throws UnknownHostException {
        String host = link.remoteHost().orElseThrow(() -> new UnknownHostException("no remote host"));
        InetAddress a = InetAddress.getByName(host);
        return new InetSocketAddress(a, link.remotePort());
    }

    /**
     * The transport configuration for a link: its bind address and interface, and its socket buffer
     * for both directions; {@code remote} picks the wildcard family when no bind host is set.
     */
    TransportConfig transportConfig(LinkConfig link, InetSocketAddress remote) throws UnknownHostException {
        InetAddress bind;
        if (link.bindHost().isPresent()) {
            bind = InetAddress.getByName(link.bindHost().get());
        } else if (remote != null && remote.getAddress() instanceof Inet6Address) {
            bind = InetAddress.getByName("::");
        } else {
            bind = InetAddress.getByName("0.0.0.0");
        }
        return TransportConfig.builder(new InetSocketAddress(bind, link.bindPort()))
                .bindInterface(link.bindInterface().orElse(null))
                .receiveBufferBytes(link.socketBufferBytes())
                .sendBufferBytes(link.socketBufferBytes())
                .build();
    }

    /** The provider the link will use; fails when none fits (a configuration error). */
    TransportProvider provider(LinkConfig link, TransportConfig config) throws IOException {
        return TransportProviders.select(providers, config, link.transport().orElse(null));
    }

    /** Opens the link's socket. */
    DatagramTransport open(LinkConfig link, InetSocketAddress remote) throws IOException {
        TransportConfig config = transportConfig(link, client ? remote : null);
        return provider(link, config).open(config);
    }
}
