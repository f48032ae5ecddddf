package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.Ipv4UdpPackets;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.testing.EngineLeakCheck;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.testkit.lab.UdpRelay;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server that crashes and comes back without its session: the client, still sending, must find
 * it within seconds, not at its link timeout.
 */
class ServerRestartTest {
    private static final byte[] CLIENT = {10, 8, 0, 1};
    private static final byte[] SERVER = {10, 8, 0, 2};

    @Test
    void aClientStillSendingFindsARestartedServerLongBeforeItsLinksTimeOut() throws Exception {
        Duration timeout = Duration.ofSeconds(10);
        try (TunnelPair pair = TunnelPair.start(2, b -> b.timeout(timeout), b -> b.timeout(timeout))) {
            pair.awaitAllUp(10_000);
            int mtu = pair.client.mtu();
            TrafficCheck before = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            before.run(0, 2_000, 64, 1_000, null);
            assertEquals(2_000, before.distinct());
            // The server's data sequence reaches 2000 here; the restarted server's starts at 0 again.
            TrafficCheck beforeBack = new TrafficCheck(pair.serverDevice, pair.clientDevice, 20, mtu);
            beforeBack.run(0, 2_000, 64, 1_000, null);
            assertEquals(2_000, beforeBack.distinct());

            // A crash: the server goes without a word (its DISCONNECTs are lost) and comes back
            // on the same ports knowing no session.
            for (UdpRelay r : pair.relays) {
                r.cut(true);
            }
            TunnelConfig serverConfig = pair.server.config();
            pair.server.close();
            for (UdpRelay r : pair.relays) {
                r.cut(false);
            }
            try (MemoryDevice device = new MemoryDevice("srv1", DeviceType.TUN, mtu + 200, 4096);
                    Tunnel restarted = EngineLeakCheck.watch(TunnelBuilder.of(serverConfig).device(device).build())) {
                restarted.start();
                long startedNanos = System.nanoTime();
                byte[] received = new byte[mtu + 200];
                int n = -1;
                int sent = 0;
                // The client goes on sending, as an application would: one packet every 20 ms.
                while (n < 0 && System.nanoTime() - startedNanos < timeout.toNanos()) {
                    pair.clientDevice.inject(Ipv4UdpPackets.build(100, CLIENT, 40000, SERVER, 5000 + (sent++ % 1000)));
                    n = device.poll(received, 20, TimeUnit.MILLISECONDS);
                }
                long recoveryMillis = (System.nanoTime() - startedNanos) / 1_000_000L;
                System.out.println("restarted server reached after " + recoveryMillis + " ms");
                assertTrue(n > 0, "nothing reached the restarted server within the link timeout");
                assertTrue(recoveryMillis < timeout.toMillis() / 2,
                        "the client found the restarted server only after " + recoveryMillis + " ms");
                assertEquals(100, n);
                assertArrayEquals(CLIENT, Arrays.copyOfRange(received, 12, 16), "one of the client's probes");

                TrafficCheck after = new TrafficCheck(pair.clientDevice, device, 20, mtu);
                after.run(10_000, 2_000, 64, 1_000, null);
                assertEquals(2_000, after.distinct(), "traffic flows again, every packet");
                assertEquals(0, after.corrupt());
                // The client must take the new server's data sequence as a fresh start, not as
                // duplicates of what the old server sent.
                TrafficCheck back = new TrafficCheck(device, pair.clientDevice, 20, mtu);
                back.run(20_000, 500, 64, 1_000, null);
                assertEquals(500, back.distinct(), () -> "and back; client " + pair.client.stats());
            }
        }
    }
}
