package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Clock;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.inner.IcmpRateLimiter;
import io.mlvpn.core.testing.InnerPackets;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.testkit.ManualClock;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Packets above the tunnel MTU read from a device whose own MTU is larger (the operator left the
 * tun at 1500): they are dropped and answered with ICMP(v6) "packet too big" into the device, at a
 * limited rate, and no buffer is lost on the way.
 */
class PacketTooBigTunnelTest {
    private static final int UDP = InternetChecksum.PROTOCOL_UDP;

    /** A client tunnel alone (nothing answers its link), reading from a device at MTU 1500. */
    private static final class Lone implements AutoCloseable {
        final MemoryDevice device;
        final Tunnel tunnel;

        Lone(Clock clock) throws Exception {
            TunnelConfig config = TunnelPair.base(Mode.CLIENT, TunnelPair.key(3)).interfaceName("big0")
                    .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").remoteHost("127.0.0.1")
                            .remotePort(TunnelPair.freePort()).build())
                    .build();
            device = new MemoryDevice("big0", DeviceType.TUN, 1500, 4096);
            tunnel = TunnelBuilder.of(config).device(device).clock(clock).build();
            tunnel.start();
        }

        BondedTunnel bonded() {
            return (BondedTunnel) tunnel;
        }

        @Override
        public void close() throws java.io.IOException {
            tunnel.close();
            device.close();
            // The reader of a device the tunnel does not own leaves when the device closes.
            try {
                await(() -> bonded().pool().outstanding() == 0, 5_000, "every buffer back in the pool");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bonded().pool().checkNoLeaks();
        }
    }

    @Test
    void ipv6AboveTheTunnelMtuIsAnsweredWithPacketTooBig() throws Exception {
        try (Lone t = new Lone(Clock.SYSTEM)) {
            int mtu = t.tunnel.mtu();
            assertEquals(1440, mtu);
            byte[] p = InnerPackets.build(true, UDP, 1500, 1);
            assertTrue(t.device.inject(p));
            byte[] a = new byte[2048];
            int n = t.device.poll(a, 5, TimeUnit.SECONDS);
            assertEquals(1280, n, "an answer as large as IPv6 allows (RFC 4443 2.4 c)");
            ByteBuffer b = ByteBuffer.wrap(a, 0, n);
            assertEquals(6, (a[0] >> 4) & 0xF);
            assertEquals(n - 40, b.getShort(4) & 0xFFFF, "payload length");
            assertEquals(58, a[6], "next header ICMPv6");
            assertArrayEquals(Arrays.copyOfRange(p, 24, 40), Arrays.copyOfRange(a, 8, 24), "from the destination");
            assertArrayEquals(Arrays.copyOfRange(p, 8, 24), Arrays.copyOfRange(a, 24, 40), "to the source");
            assertEquals(2, a[40], "type packet too big");
            assertEquals(0, a[41], "code 0");
            assertEquals(mtu, b.getInt(44), "the tunnel MTU");
            long pseudo = InternetChecksum.pseudoHeader(b, 0, true, 58, n - 40);
            assertEquals(0, InternetChecksum.finish(InternetChecksum.add(b, 40, n - 40, pseudo)), "ICMPv6 checksum");
            assertArrayEquals(Arrays.copyOfRange(p, 0, n - 48), Arrays.copyOfRange(a, 48, n), "the quoted packet");
            assertEquals(1, t.tunnel.stats().dropsOversize());
        }
    }

    @Test
    void ipv4WithDontFragmentIsAnswered() throws Exception {
        try (Lone t = new Lone(Clock.SYSTEM)) {
            byte[] p = InnerPackets.build(false, UDP, 1500, 2);
            assertTrue(t.device.inject(p));
            byte[] a = new byte[2048];
            int n = t.device.poll(a, 5, TimeUnit.SECONDS);
            assertEquals(576, n);
            ByteBuffer b = ByteBuffer.wrap(a, 0, n);
            assertEquals(0, InternetChecksum.finish(InternetChecksum.add(b, 0, 20, 0)), "IP header checksum");
            assertEquals(3, a[20], "destination unreachable");
            assertEquals(4, a[21], "fragmentation needed");
            assertEquals(t.tunnel.mtu(), b.getShort(26) & 0xFFFF, "next-hop MTU");
            assertEquals(0, InternetChecksum.finish(InternetChecksum.add(b, 20, n - 20, 0)), "ICMP checksum");
        }
    }

    @Test
    void ipv4WithoutDontFragmentIsDroppedAndCountedWithoutAnswer() throws Exception {
        try (Lone t = new Lone(Clock.SYSTEM)) {
            byte[] p = InnerPackets.build(false, UDP, 1500, 3);
            p[6] = 0;
            p[10] = 0;
            p[11] = 0;
            int c = InternetChecksum.finish(InternetChecksum.add(ByteBuffer.wrap(p), 0, 20, 0));
            p[10] = (byte) (c >>> 8);
            p[11] = (byte) c;
            assertTrue(t.device.inject(p));
            // Then one with DF: its answer, the first packet out, shows the first was read and not answered.
            assertTrue(t.device.inject(InnerPackets.build(false, UDP, 1500, 4)));
            byte[] a = new byte[2048];
            int n = t.device.poll(a, 5, TimeUnit.SECONDS);
            assertEquals(576, n);
            assertArrayEquals(Arrays.copyOfRange(InnerPackets.build(false, UDP, 1500, 4), 0, 548),
                    Arrays.copyOfRange(a, 28, 576), "the answer is to the DF packet");
            assertEquals(2, t.tunnel.stats().dropsOversize());
            assertEquals(-1, t.device.poll(a), "nothing else");
        }
    }

    @Test
    void answersAreRateLimitedAndTheRestCounted() throws Exception {
        ManualClock clock = new ManualClock();
        try (Lone t = new Lone(clock)) {
            int sent = 50;
            for (int i = 0; i < sent; i++) {
                assertTrue(t.device.inject(InnerPackets.build(true, UDP, 1500, 10 + i)));
            }
            await(() -> t.tunnel.stats().dropsOversize() == sent, 5_000, "every packet read");
            byte[] a = new byte[2048];
            int answers = 0;
            while (t.device.poll(a, 200, TimeUnit.MILLISECONDS) > 0) {
                answers++;
            }
            assertEquals(IcmpRateLimiter.BURST, answers, "a burst of answers while the clock stands still");
            assertEquals(sent - IcmpRateLimiter.BURST, t.bonded().counters().tooBigSuppressed);
            // 100 ms later the bucket holds 10 tokens again (100 a second): 10 more answers.
            clock.advanceMillis(100);
            for (int i = 0; i < sent; i++) {
                assertTrue(t.device.inject(InnerPackets.build(true, UDP, 1500, 100 + i)));
            }
            await(() -> t.tunnel.stats().dropsOversize() == 2 * sent, 5_000, "every packet read");
            answers = 0;
            while (t.device.poll(a, 200, TimeUnit.MILLISECONDS) > 0) {
                answers++;
            }
            assertEquals(10, answers);
            assertEquals(2 * sent - IcmpRateLimiter.BURST - 10, t.bonded().counters().tooBigSuppressed);
        }
    }
}
