package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Clock;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.core.testing.InnerPackets;
import io.mlvpn.core.testing.PartialChecksumDevice;
import io.mlvpn.core.testing.TunnelPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Packets whose transport checksum a device leaves partial cross the tunnel as
 * DATA_PARTIAL_CHECKSUM and come out whole, whether or not each end's device takes partial
 * checksums.
 */
class PartialChecksumTunnelTest {
    private static final int[] PROTOCOLS = {InternetChecksum.PROTOCOL_TCP, InternetChecksum.PROTOCOL_UDP, InnerPackets.ICMP};

    @ParameterizedTest(name = "client partial {0}, server partial {1}")
    @CsvSource({"true, true", "true, false", "false, true"})
    void everyPacketArrivesWithItsChecksumComplete(boolean clientPartial, boolean serverPartial) throws Exception {
        AtomicReference<PartialChecksumDevice> client = new AtomicReference<>();
        AtomicReference<PartialChecksumDevice> server = new AtomicReference<>();
        try (TunnelPair pair = TunnelPair.start(2, b -> b, b -> b, Clock.SYSTEM,
                d -> set(server, new PartialChecksumDevice(d, serverPartial)),
                d -> set(client, new PartialChecksumDevice(d, clientPartial)))) {
            pair.awaitAllUp(10_000);
            List<byte[]> sent = new ArrayList<>();
            int transportPackets = 0;
            for (int i = 0; i < 600; i++) {
                boolean ipv6 = i % 2 == 1;
                int protocol = PROTOCOLS[(i / 2) % PROTOCOLS.length];
                int length = 60 + (i * 37) % (pair.client.mtu() - 60);
                sent.add(InnerPackets.build(ipv6, protocol, length, i));
                if (protocol != InnerPackets.ICMP) {
                    transportPackets++;
                }
            }
            byte[] received = new byte[pair.client.mtu() + 200];
            // One at a time, so that every packet is matched to its original whatever the links' order.
            for (int i = 0; i < sent.size(); i++) {
                byte[] packet = sent.get(i);
                assertTrue(pair.clientDevice.inject(packet.clone()));
                int n = pair.serverDevice.poll(received, 5, TimeUnit.SECONDS);
                assertArrayEquals(packet, Arrays.copyOf(received, Math.max(n, 0)), "packet " + i);
            }
            long expectedPartial = clientPartial ? transportPackets : 0;
            assertEquals(expectedPartial, client.get().partialRead());
            assertEquals(serverPartial ? expectedPartial : 0, server.get().partialWritten(),
                    "partial packets the server's device completed");
            assertEquals(0, server.get().badPartialWritten(), "partial packets where they do not belong");
            for (LinkStats l : pair.server.stats().links()) {
                assertEquals(0, l.dropsMalformed(), l.name());
            }
        }
    }

    private static PartialChecksumDevice set(AtomicReference<PartialChecksumDevice> ref, PartialChecksumDevice d) {
        ref.set(d);
        return d;
    }
}
