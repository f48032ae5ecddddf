package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.core.session.HandshakeInitiator;
import io.mlvpn.core.session.HandshakeKey;
import io.mlvpn.core.session.TestInits;
import io.mlvpn.core.testing.StderrCapture;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Handshake datagrams an attacker can send to a running server tunnel (issue 13, items 4, 5, 6). */
class HandshakeAttackTest {

    @Test
    void anInitWithAnUnknownCipherIdLeavesTheReceiverWorking() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1); DatagramChannel attacker = open("127.0.0.1")) {
            pair.awaitAllUp(10_000);
            InetSocketAddress target = serverPort(pair);
            byte[] init = TestInits.init(HandshakeKey.derive(TunnelPair.key(7)), 77, nowMicros() + 60_000_000L, 9, 0);
            attacker.send(ByteBuffer.wrap(init), target);
            long malformed = pair.server.stats().links().get(0).dropsMalformed();
            attacker.send(ByteBuffer.wrap(new byte[40]), target);
            await(() -> pair.server.stats().links().get(0).dropsMalformed() > malformed, 3_000,
                    "the receiver counts the datagram after the INIT");
            int mtu = pair.client.mtu();
            TrafficCheck up = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            up.run(0, 200, 64, 1_000, null);
            assertEquals(200, up.distinct(), "the link's receiver still delivers");
        }
    }

    @Test
    void anAuthenticInitFromAnotherAddressDoesNotMoveThePeer() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1); DatagramChannel attacker = open("127.0.0.1")) {
            pair.awaitAllUp(10_000);
            String peerBefore = pair.server.stats().links().get(0).peer();
            // What a recorded INIT is to a restarted server: authentic and fresh.
            byte[] init = TestInits.init(HandshakeKey.derive(TunnelPair.key(7)), 78, nowMicros() + 1_000_000L, 1, 0);
            attacker.send(ByteBuffer.wrap(init), serverPort(pair));
            ByteBuffer answer = ByteBuffer.allocate(256);
            attacker.configureBlocking(true);
            attacker.receive(answer);
            assertEquals(PacketType.HANDSHAKE_RESPONSE, Header.type(answer.array(), 0), "answered to the source");
            assertEquals(peerBefore, pair.server.stats().links().get(0).peer(), "an INIT moved the link's peer");
            int mtu = pair.client.mtu();
            TrafficCheck down = new TrafficCheck(pair.serverDevice, pair.clientDevice, 20, mtu);
            down.run(0, 300, 64, 1_000, null);
            assertEquals(300, down.distinct(), "server to client still reaches the real client");
        }
    }

    @Test
    void junkInitsFromTwoAlternatingAddressesGiveOneLogLine() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1); DatagramChannel a = open("127.0.0.1");
                DatagramChannel b = open("127.0.0.2")) {
            pair.awaitAllUp(10_000);
            InetSocketAddress target = serverPort(pair);
            Random r = new Random(13);
            long before = pair.server.stats().links().get(0).dropsAuth();
            int n = 100;
            try (StderrCapture log = new StderrCapture()) {
                for (int i = 0; i < n; i++) {
                    byte[] junk = new byte[i % 4 == 0 ? HandshakeInitiator.INIT_LENGTH : 74];
                    r.nextBytes(junk);
                    Header.write(junk, 0, PacketType.HANDSHAKE_INIT, 0, 1 + i, 0, 0, Header.NO_ECHO, 0);
                    (i % 2 == 0 ? a : b).send(ByteBuffer.wrap(junk), target);
                }
                await(() -> pair.server.stats().links().get(0).dropsAuth() - before >= n, 5_000,
                        "every junk INIT counted");
                long lines = log.lines("HandshakeHandler");
                assertTrue(lines <= 1, lines + " handshake log lines for 100 junk INITs:\n" + log.text());
                assertEquals(1, log.lines("failed authentication"), log.text());
            }
        }
    }

    @Test
    void anInitReplayedAThousandTimesASecondCostsTheTunnelNothing() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1, b -> b, b -> b.rekeyInterval(Duration.ofSeconds(5)));
                DatagramChannel attacker = open("127.0.0.1")) {
            pair.awaitAllUp(10_000);
            InetSocketAddress target = serverPort(pair);
            // An authentic INIT, as one recorded from the client; accepted once, then only replayed.
            byte[] init = TestInits.init(HandshakeKey.derive(TunnelPair.key(7)), 79, nowMicros(), 1, 0);
            long handshakes = pair.client.stats().handshakes();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong replays = new AtomicLong();
            Thread replayer = new Thread(() -> {
                ByteBuffer datagram = ByteBuffer.wrap(init);
                while (!stop.get()) {
                    try {
                        datagram.rewind();
                        attacker.send(datagram, target);
                    } catch (java.io.IOException e) {
                        return;
                    }
                    replays.incrementAndGet();
                    LockSupport.parkNanos(1_000_000L);
                }
            }, "replayer");
            replayer.start();
            int mtu = pair.client.mtu();
            int delivered = 0;
            int sent = 0;
            try {
                // Traffic in rounds until the client has rekeyed twice (every 5 s) under the replay.
                long deadline = System.nanoTime() + 30_000_000_000L;
                for (int round = 0; pair.client.stats().handshakes() - handshakes < 2
                        && System.nanoTime() - deadline < 0; round++) {
                    TrafficCheck up = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
                    up.run(round * 1_000L, 50, 16, 250, null);
                    sent += 50;
                    delivered += up.distinct();
                }
            } finally {
                stop.set(true);
                replayer.join();
            }
            System.out.println(replays.get() + " replays; " + delivered + " of " + sent + " delivered; "
                    + (pair.client.stats().handshakes() - handshakes) + " rekeys");
            assertEquals(sent, delivered, "packets lost while an INIT was replayed");
            assertTrue(pair.client.stats().handshakes() - handshakes >= 2, "the client kept rekeying");
        }
    }

    private static long nowMicros() {
        return System.currentTimeMillis() * 1000L;
    }

    private static InetSocketAddress serverPort(TunnelPair pair) {
        return new InetSocketAddress("127.0.0.1", pair.server.config().links().get(0).bindPort());
    }

    private static DatagramChannel open(String host) throws java.io.IOException {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        c.bind(new InetSocketAddress(host, 0));
        return c;
    }
}
