package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.testkit.lab.Direction;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/**
 * An on-path observer copies an authenticated datagram of the client's link 0 and sends it, from
 * its own address, to the server's port of link 1 before the client's own link-1 traffic arrives
 * there: it must neither bind link 1 to the wrong sending link nor move link 1's peer address.
 */
class LinkHijackTest {

    private static LinkStats serverLink(TunnelPair pair, int i) {
        return pair.server.stats().links().get(i);
    }

    @Test
    void aCopiedDatagramOfLinkZeroSentToLinkOnesPortHijacksNothing() throws Exception {
        try (TunnelPair pair = TunnelPair.start(2, b -> b, b -> b);
                DatagramChannel attacker = DatagramChannel.open(StandardProtocolFamily.INET)) {
            // Link 1's traffic from the client does not reach the server yet.
            pair.relays.get(1).cut(Direction.CLIENT_TO_SERVER, true);
            await(() -> serverLink(pair, 0).state() == LinkState.UP, 10_000, "server link 0 up");
            int mtu = pair.client.mtu();
            new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu).run(0, 50, 16, 500, null);
            byte[] copy = pair.relays.get(0).lastFromClient();
            assertNotNull(copy);
            attacker.bind(new InetSocketAddress("127.0.0.1", 0));
            String attackerAddress = attacker.getLocalAddress().toString();
            long before = serverLink(pair, 1).dropsReplay() + serverLink(pair, 1).dropsAuth()
                    + serverLink(pair, 1).rxPackets();
            attacker.send(ByteBuffer.wrap(copy), new InetSocketAddress("127.0.0.1",
                    pair.server.config().links().get(1).bindPort()));
            await(() -> serverLink(pair, 1).dropsReplay() + serverLink(pair, 1).dropsAuth()
                    + serverLink(pair, 1).rxPackets() > before, 5_000, "the copy reached link 1's receiver");
            assertFalse(String.valueOf(serverLink(pair, 1).peer()).contains(attackerAddress.substring(1)),
                    "link 1's peer moved to the attacker: " + serverLink(pair, 1).peer());
            // The client's own link-1 traffic now arrives: link 1 comes up and carries traffic both ways.
            pair.relays.get(1).cut(Direction.CLIENT_TO_SERVER, false);
            pair.awaitAllUp(10_000);
            assertFalse(String.valueOf(serverLink(pair, 1).peer()).contains(attackerAddress.substring(1)),
                    "link 1's peer is the attacker: " + serverLink(pair, 1).peer());
            long rx = serverLink(pair, 1).rxPackets();
            TrafficCheck up = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            up.run(1_000, 400, 32, 2_000, null);
            TrafficCheck down = new TrafficCheck(pair.serverDevice, pair.clientDevice, 20, mtu);
            down.run(1_000, 400, 32, 2_000, null);
            // Most of it, whatever a starved test machine loses: a hijacked link would lose half.
            assertTrue(up.distinct() >= 380 && down.distinct() >= 380, up.distinct() + " up, " + down.distinct() + " down");
            await(() -> serverLink(pair, 1).rxPackets() > rx + 10, 5_000, "link 1 carries the client's traffic");
        }
    }

    @Test
    void aLinkIdBeyondTheLastIsMalformedNotAnInternalError() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1);
                DatagramChannel attacker = DatagramChannel.open(StandardProtocolFamily.INET)) {
            pair.awaitAllUp(10_000);
            byte[] forged = pair.relays.get(0).lastFromClient();
            forged[1] = (byte) 0xFF;
            long before = serverLink(pair, 0).dropsMalformed();
            attacker.send(ByteBuffer.wrap(forged), new InetSocketAddress("127.0.0.1",
                    pair.server.config().links().get(0).bindPort()));
            await(() -> serverLink(pair, 0).dropsMalformed() > before, 5_000, "the datagram counted as malformed");
            assertEquals(0, pair.server.stats().internalErrors());
        }
    }
}
