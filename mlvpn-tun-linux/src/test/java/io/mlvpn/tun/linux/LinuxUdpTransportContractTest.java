package io.mlvpn.tun.linux;

import io.mlvpn.api.transport.DatagramTransportContract;
import io.mlvpn.api.transport.TransportProvider;

/**
 * The transport contract for {@link LinuxUdpTransport}, over loopback only, so it runs as root and
 * non-root alike. The suite itself fails (rather than skips) when the provider is unavailable,
 * which here means JNA cannot load: the native transport is expected to work on every Linux host.
 */
class LinuxUdpTransportContractTest extends DatagramTransportContract {

    @Override
    protected TransportProvider provider() {
        return new LinuxUdpTransportProvider();
    }
}
