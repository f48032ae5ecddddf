package io.mlvpn.core.transport;

import io.mlvpn.api.transport.DatagramTransportContract;
import io.mlvpn.api.transport.TransportProvider;

class DatagramChannelTransportContractTest extends DatagramTransportContract {

    @Override
    protected TransportProvider provider() {
        return new DatagramChannelTransportProvider();
    }
}
