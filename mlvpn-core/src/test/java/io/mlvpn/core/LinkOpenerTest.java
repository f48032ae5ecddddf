package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
import io.mlvpn.core.transport.DatagramChannelTransportProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The link's socket settings reach the transport provider. */
class LinkOpenerTest {

    @Test
    void theDefaultSocketBufferIsAskedForInBothDirections() throws Exception {
        LinkConfig link = LinkConfig.builder("a").bindHost("127.0.0.1").build();
        TransportConfig c = new LinkOpener(List.of(), false).transportConfig(link, null);
        assertEquals(LinkConfig.DEFAULT_SOCKET_BUFFER_BYTES, c.receiveBufferBytes());
        assertEquals(LinkConfig.DEFAULT_SOCKET_BUFFER_BYTES, c.sendBufferBytes());
    }

    @Test
    void theConfiguredSocketBufferReachesTheProvidersOpen() throws Exception {
        int bytes = 12 << 20;
        LinkConfig link = LinkConfig.builder("a").bindHost("127.0.0.1").socketBufferBytes(bytes).build();
        RecordingProvider provider = new RecordingProvider();
        try (DatagramTransport t = new LinkOpener(List.of(provider), false).open(link, null)) {
            assertNotNull(t.localAddress());
        }
        assertEquals(1, provider.opened.size());
        assertEquals(bytes, provider.opened.get(0).receiveBufferBytes());
        assertEquals(bytes, provider.opened.get(0).sendBufferBytes());
    }

    /** Records each configuration it opens, and opens a real portable socket for it. */
    private static final class RecordingProvider extends io.mlvpn.core.testing.AvailableTransportProvider {
        RecordingProvider() {
            super("recording", 1000);
        }

        final List<TransportConfig> opened = new ArrayList<>();
        private final TransportProvider real = new DatagramChannelTransportProvider();

        @Override
        public DatagramTransport open(TransportConfig config) throws IOException {
            opened.add(config);
            return real.open(config);
        }
    }
}
