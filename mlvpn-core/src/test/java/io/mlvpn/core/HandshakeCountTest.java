package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.core.testing.TunnelPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What each end of a tunnel counts of its handshakes (issue 13: the lab's replay scenario). */
class HandshakeCountTest {

    @Test
    void theServerCountsTheSessionsItEstablishesAsTheClientDoes() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1, b -> b, b -> b.rekeyInterval(Duration.ofSeconds(5)))) {
            pair.awaitAllUp(10_000);
            await(() -> pair.client.stats().handshakes() >= 2, 15_000, "a rekey");
            long client = pair.client.stats().handshakes();
            // The server's count follows once the client's first packet under the newest session arrived.
            await(() -> pair.server.stats().handshakes() >= client, 5_000,
                    "the server counting the " + client + " sessions the client counts");
            long server = pair.server.stats().handshakes();
            long clientAfter = pair.client.stats().handshakes();
            assertTrue(server <= clientAfter, "the server counts " + server + ", the client " + clientAfter);
        }
    }
}
