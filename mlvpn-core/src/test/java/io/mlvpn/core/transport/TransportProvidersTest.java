package io.mlvpn.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportProvidersTest {
    private static final TransportConfig PLAIN =
            TransportConfig.builder(new InetSocketAddress("127.0.0.1", 0)).build();
    private static final TransportConfig ON_ETH1 =
            TransportConfig.builder(new InetSocketAddress("0.0.0.0", 5080)).bindInterface("eth1").build();

    private final TransportProvider portable = new DatagramChannelTransportProvider();
    private final TransportProvider linuxUdp = new FakeTransportProvider("linux-udp", 100, null, true);
    private final TransportProvider linuxUdpDown = new FakeTransportProvider("linux-udp", 100, "not Linux", true);

    @Test
    void highestPriorityAvailableProviderWins() throws IOException {
        assertSame(linuxUdp, TransportProviders.select(List.of(portable, linuxUdp), PLAIN, null));
    }

    @Test
    void equalPrioritiesAreOrderedByName() throws IOException {
        TransportProvider a = new FakeTransportProvider("a-udp", 100, null, false);
        assertSame(a, TransportProviders.select(List.of(linuxUdp, a), PLAIN, null));
    }

    @Test
    void unavailableProviderIsSkipped() throws IOException {
        assertSame(portable, TransportProviders.select(List.of(linuxUdpDown, portable), PLAIN, null));
    }

    @Test
    void bindInterfaceSkipsThePortableProvider() throws IOException {
        TransportProvider low = new FakeTransportProvider("low-udp", -5, null, true);
        assertSame(low, TransportProviders.select(List.of(portable, low), ON_ETH1, null));
    }

    @Test
    void explicitNameWinsOverPriority() throws IOException {
        assertSame(portable, TransportProviders.select(List.of(linuxUdp, portable), PLAIN, "datagram-channel"));
    }

    @Test
    void explicitUnknownNameListsKnownProviders() {
        IOException e = assertThrows(IOException.class,
                () -> TransportProviders.select(List.of(portable, linuxUdp), PLAIN, "quic"));
        assertEquals("no transport provider named \"quic\"; known: linux-udp, datagram-channel", e.getMessage());
    }

    @Test
    void explicitNameWithNoProvidersSaysSo() {
        IOException e = assertThrows(IOException.class, () -> TransportProviders.select(List.of(), PLAIN, "quic"));
        assertEquals("no transport provider named \"quic\"; no providers on the class path", e.getMessage());
    }

    @Test
    void explicitUnavailableProviderGivesItsCause() {
        IOException e = assertThrows(IOException.class,
                () -> TransportProviders.select(List.of(linuxUdpDown, portable), PLAIN, "linux-udp"));
        assertEquals("transport provider linux-udp cannot open bind 127.0.0.1:0: not Linux", e.getMessage());
    }

    @Test
    void explicitProviderThatCannotBindAnInterfaceIsRefused() {
        IOException e = assertThrows(IOException.class,
                () -> TransportProviders.select(List.of(portable), ON_ETH1, "datagram-channel"));
        assertEquals("transport provider datagram-channel cannot open bind 0.0.0.0:5080, interface eth1: "
                + "does not support bind.interface", e.getMessage());
    }

    @Test
    void noneFitsListsEveryProviderAndWhy() {
        IOException e = assertThrows(IOException.class,
                () -> TransportProviders.select(List.of(portable, linuxUdpDown), ON_ETH1, null));
        assertEquals("no transport provider for bind 0.0.0.0:5080, interface eth1: linux-udp: not Linux; "
                + "datagram-channel: does not support bind.interface", e.getMessage());
    }

    @Test
    void noneFitsWithoutInterfaceSaysConfiguration() {
        TransportProvider picky = new FakeTransportProvider("picky", 1, null, false) {
            @Override
            public boolean supports(TransportConfig config) {
                return false;
            }
        };
        IOException e = assertThrows(IOException.class,
                () -> TransportProviders.select(List.of(picky), TransportConfig.builder(
                        new InetSocketAddress("::1", 7)).build(), null));
        assertEquals("no transport provider for bind [0:0:0:0:0:0:0:1]:7: picky: does not support this configuration",
                e.getMessage());
    }

    @Test
    void emptyListSaysNoProviders() {
        IOException e = assertThrows(IOException.class, () -> TransportProviders.select(List.of(), PLAIN, null));
        assertEquals("no transport provider for bind 127.0.0.1:0: no providers on the class path", e.getMessage());
    }

    @Test
    void classPathRegistersThePortableProvider() throws IOException {
        List<TransportProvider> providers = TransportProviders.load(getClass().getClassLoader());
        TransportProvider selected = TransportProviders.select(providers, PLAIN, "datagram-channel");
        assertInstanceOf(DatagramChannelTransportProvider.class, selected);
        assertEquals(0, selected.priority());
        assertTrue(selected.isAvailable());
        assertEquals("available", selected.unavailabilityCause());
    }

    @Test
    void openSelectsAndOpens() throws IOException {
        try (DatagramTransport t = TransportProviders.open(List.of(linuxUdpDown, portable), PLAIN, null)) {
            assertInstanceOf(DatagramChannelTransport.class, t);
            assertTrue(t.localAddress().getPort() > 0);
        }
    }
}
