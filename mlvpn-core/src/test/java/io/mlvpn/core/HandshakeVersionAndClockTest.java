package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Clock;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.session.HandshakeKey;
import io.mlvpn.core.session.TestInits;
import io.mlvpn.core.testing.StderrCapture;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Handshake 2 against a handshake-1 peer, and a client whose wall clock steps back (issue 13,
 * item 6), on real tunnels over loopback.
 */
class HandshakeVersionAndClockTest {

    @Test
    void aHandshakeOneInitIsRefusedWithOneClearLineAndNoSession() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1); DatagramChannel old = DatagramChannel.open(
                StandardProtocolFamily.INET)) {
            pair.awaitAllUp(10_000);
            old.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                    pair.server.config().links().get(0).bindPort());
            HandshakeKey key = HandshakeKey.derive(TunnelPair.key(7));
            long malformed = pair.server.stats().links().get(0).dropsMalformed();
            String peer = pair.server.stats().links().get(0).peer();
            int n = 20;
            try (StderrCapture log = new StderrCapture()) {
                for (int i = 0; i < n; i++) {
                    byte[] init = TestInits.legacyInit(key, 100 + i, System.currentTimeMillis() * 1000L + i, 0);
                    old.send(ByteBuffer.wrap(init), target);
                }
                await(() -> pair.server.stats().links().get(0).dropsMalformed() - malformed >= n, 5_000,
                        "every handshake-1 INIT counted");
                assertEquals(1, log.lines("speaks handshake 1 (mlvpn-java up to commit 7cee88a)"), log.text());
            }
            String error = ((BondedTunnel) pair.server).lastHandshakeError().orElse("");
            assertTrue(error.contains("speaks handshake 1") && error.contains("upgrade"), error);
            old.configureBlocking(false);
            assertNull(old.receive(ByteBuffer.allocate(256)), "a handshake-1 INIT got an answer");
            assertEquals(peer, pair.server.stats().links().get(0).peer());
            int mtu = pair.client.mtu();
            TrafficCheck up = new TrafficCheck(pair.clientDevice, pair.serverDevice, 20, mtu);
            up.run(0, 200, 64, 1_000, null);
            assertEquals(200, up.distinct(), "the real client's session is untouched");
        }
    }

    @Test
    void aClientWhoseClockWentBackAnHourComesBackAtOnce() throws Exception {
        SteppedClock clock = new SteppedClock();
        try (TunnelPair pair = TunnelPair.start(1, b -> b, b -> b, clock)) {
            pair.awaitAllUp(10_000);
            TunnelConfig clientConfig = pair.client.config();
            int mtu = pair.client.mtu();
            pair.client.close();
            // The router reboots without a battery-backed clock: an hour in the past.
            clock.offsetMillis.set(-3_600_000L);
            try (StderrCapture log = new StderrCapture();
                    MemoryDevice device = new MemoryDevice("cli1", DeviceType.TUN, mtu + 200, 4096);
                    Tunnel client = TunnelBuilder.of(clientConfig).device(device).clock(clock).build()) {
                client.start();
                await(() -> client.state() == TunnelState.UP, 5_000, "the client back up");
                TrafficCheck up = new TrafficCheck(device, pair.serverDevice, 20, mtu);
                up.run(0, 200, 64, 1_000, null);
                assertEquals(200, up.distinct());
                assertTrue(log.lines("was refused as stale") >= 1, "the server says why: " + log.text());
                assertTrue(log.lines("stale offer: the server last accepted") >= 1, "the client says why");
            }
        }
    }

    /** The system clocks, the wall clock shifted by a settable offset. */
    private static final class SteppedClock implements Clock {
        final AtomicLong offsetMillis = new AtomicLong();

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis() + offsetMillis.get();
        }
    }
}
