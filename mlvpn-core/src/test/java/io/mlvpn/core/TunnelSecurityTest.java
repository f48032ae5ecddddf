package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Wrong keys, mismatched ciphers, garbage and replays against running tunnels. */
class TunnelSecurityTest {

    @Test
    void aWrongKeyGivesNoSessionAndTheServerSendsNothing() throws Exception {
        try (TunnelPair pair = TunnelPair.start(2, b -> b, b -> b.secret(TunnelPair.key(8)))) {
            await(() -> pair.server.stats().links().stream().mapToLong(LinkStats::dropsAuth).sum() >= 2, 5_000, "server drops the client's offers");
            assertEquals(TunnelState.DOWN, pair.client.state());
            assertEquals(TunnelState.DOWN, pair.server.state());
            assertEquals(0, pair.client.stats().handshakes());
            for (LinkStats l : pair.client.stats().links()) {
                assertEquals(0, l.rxPackets(), "the server answered nothing on " + l.name());
            }
            for (LinkStats l : pair.server.stats().links()) {
                assertEquals(0, l.txPackets(), "the server sent nothing on " + l.name());
            }
        }
    }

    @Test
    void aCipherMismatchFailsTheHandshakeWithAClearMessage() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1, TunnelPair.cipher(CipherSuite.CHACHA20_POLY1305), b -> b)) {
            BondedTunnel client = (BondedTunnel) pair.client;
            await(() -> client.lastHandshakeError().isPresent(), 5_000, "the client's handshake error");
            assertEquals("cipher mismatch: server uses chacha20-poly1305, we use aes-256-gcm",
                    client.lastHandshakeError().get());
            BondedTunnel server = (BondedTunnel) pair.server;
            assertTrue(server.lastHandshakeError().orElse("").startsWith("cipher mismatch: client "),
                    "server says so too: " + server.lastHandshakeError());
            assertEquals(TunnelState.DOWN, pair.client.state());
            assertEquals(0, pair.client.stats().handshakes());
        }
    }

    @Test
    void garbageAndReplaysFromAnotherAddressAreDroppedWithoutAnswerOrPeerChange() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1); DatagramChannel attacker = DatagramChannel.open(
                StandardProtocolFamily.INET)) {
            pair.awaitAllUp(10_000);
            int mtu = pair.client.mtu();
            new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu).run(0, 200, 64, 500, null);
            String peerBefore = pair.server.stats().links().get(0).peer();
            byte[] captured = pair.relays.get(0).lastFromClient();
            InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                    pair.server.config().links().get(0).bindPort());
            attacker.bind(new InetSocketAddress("127.0.0.1", 0));
            long before = drops(pair);
            Random r = new Random(1);
            int[] sizes = {0, 1, 15, 16, 31, 32, 33, 100, 1400};
            for (int size : sizes) {
                byte[] junk = new byte[size];
                r.nextBytes(junk);
                attacker.send(ByteBuffer.wrap(junk), target);
            }
            byte[] forged = captured.clone();
            forged[forged.length - 1] ^= 1;
            attacker.send(ByteBuffer.wrap(forged), target);
            attacker.send(ByteBuffer.wrap(captured), target);
            // Every datagram but the empty one reaches a receiver and is counted as a drop.
            await(() -> drops(pair) - before >= sizes.length + 1, 5_000, "every bad datagram counted");
            assertEquals(peerBefore, pair.server.stats().links().get(0).peer(), "peer not moved");
            assertTrue(pair.server.stats().links().get(0).dropsReplay() >= 1, "the replay was caught");
            attacker.configureBlocking(false);
            ByteBuffer answer = ByteBuffer.allocate(2048);
            SocketAddress from = attacker.receive(answer);
            assertNull(from, "the server answered an unauthenticated datagram");
            TrafficCheck after = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            after.run(200, 500, 64, 500, null);
            assertEquals(500, after.distinct(), "the tunnel still works");
        }
    }

    @Test
    void theServerFollowsTheClientToANewAddressAfterAuthentication() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1)) {
            pair.awaitAllUp(10_000);
            String before = pair.server.stats().links().get(0).peer();
            pair.relays.get(0).rebind();
            int mtu = pair.client.mtu();
            TrafficCheck up = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            up.run(0, 300, 64, 500, null);
            await(() -> !pair.server.stats().links().get(0).peer().equals(before), 3_000, "peer moved");
            TrafficCheck down = new TrafficCheck(pair.serverDevice, pair.clientDevice, 20, mtu);
            down.run(0, 300, 64, 500, null);
            assertEquals(300, down.distinct(), "server to client reaches the new address");
        }
    }

    private static long drops(TunnelPair pair) {
        LinkStats l = pair.server.stats().links().get(0);
        return l.dropsAuth() + l.dropsMalformed() + l.dropsReplay();
    }
}
