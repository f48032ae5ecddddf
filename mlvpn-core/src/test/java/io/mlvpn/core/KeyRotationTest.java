package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.TunnelState;
import io.mlvpn.core.testing.StderrCapture;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload with a new key on the server, then on the client: no outage (issue 13, key rotation). */
class KeyRotationTest {

    @Test
    void theServerThenTheClientTakeANewKeyWithoutAnOutage() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1, b -> b, b -> b.rekeyInterval(Duration.ofSeconds(5)));
                StderrCapture log = new StderrCapture()) {
            pair.awaitAllUp(10_000);
            int mtu = pair.client.mtu();
            assertEquals(List.of(), pair.server.reconfigure(pair.server.config().toBuilder()
                    .secret(TunnelPair.key(9)).build()), "the server takes the new key live");
            long handshakes = pair.client.stats().handshakes();
            long sent = 0;
            long delivered = 0;
            // The client, still on the old key, rekeys during the grace period.
            for (int round = 0; round < 80 && pair.client.stats().handshakes() == handshakes; round++) {
                delivered += traffic(pair, sent, mtu);
                sent += 50;
            }
            assertEquals(handshakes + 1, pair.client.stats().handshakes(), "a rekey under the old key");
            assertTrue(log.lines("still uses the previous key") >= 1, "the server says who still uses it");
            assertEquals(List.of(), pair.client.reconfigure(pair.client.config().toBuilder()
                    .secret(TunnelPair.key(9)).build()), "the client takes the new key live");
            handshakes = pair.client.stats().handshakes();
            // Its next rekey uses the new key.
            for (int round = 0; round < 80 && pair.client.stats().handshakes() == handshakes; round++) {
                delivered += traffic(pair, sent, mtu);
                sent += 50;
            }
            assertEquals(handshakes + 1, pair.client.stats().handshakes(), "a rekey under the new key");
            delivered += traffic(pair, sent, mtu);
            sent += 50;
            System.out.println(delivered + " of " + sent + " packets delivered across both key changes");
            assertEquals(sent, delivered, "packets lost while the key changed");
            assertEquals(TunnelState.UP, pair.client.state());
            assertEquals(0, pair.server.stats().links().get(0).dropsAuth(), "no handshake refused");
        }
    }

    private static int traffic(TunnelPair pair, long first, int mtu) throws InterruptedException {
        TrafficCheck up = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
        up.run(first, 50, 16, 250, null);
        return up.distinct();
    }
}
