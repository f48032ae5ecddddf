package io.mlvpn.tun.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens real devices. Runs only on FreeBSD, OpenBSD or macOS as root (elsewhere it is skipped with
 * the probe's reason); see the module README for how to run it there. It creates an interface with
 * the addresses 10.213.0.1/24 (peer 10.213.0.2) and removes it on close.
 */
class RealBsdDeviceTest {
    private static final String LOCAL = "10.213.0.1";
    private static final String PEER = "10.213.0.2";

    @BeforeEach
    void needsARealBsdDevice() {
        assumeTrue(BsdTun.isAvailable(), () -> "no BSD/macOS tun device here: " + BsdTun.unavailabilityCause());
    }

    private static DeviceConfig tunConfig() {
        return DeviceConfig.builder().name("mlvpntest0").type(DeviceType.TUN).mtu(1400)
                .configure(true).address(LOCAL + "/24").peer(PEER).build();
    }

    private static PacketBatch batch(int count) {
        PacketBatch b = new PacketBatch(count);
        for (int i = 0; i < count; i++) {
            b.add(new PacketBuffer(2048).span(64, 0));
        }
        return b;
    }

    @Test
    void tunDeviceDeliversAnIpv4PacketSentToThePeer() throws Exception {
        try (PacketDevice device = new BsdTunProvider().open(tunConfig())) {
            assertFalse(device.name().isEmpty());
            assertEquals(DeviceType.TUN, device.type());
            assertEquals(1400, device.mtu());
            try (DatagramSocket socket = new DatagramSocket()) {
                byte[] payload = "mlvpn".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(PEER), 9));
            }
            PacketBatch in = batch(8);
            boolean sawUdp = false;
            // The interface may also emit other packets first (for example IPv6 neighbour discovery).
            for (int attempt = 0; attempt < 20 && !sawUdp; attempt++) {
                int n = device.read(in);
                for (int i = 0; i < n; i++) {
                    PacketBuffer p = in.get(i);
                    int first = p.data().get(p.offset()) & 0xff;
                    if (first >>> 4 == 4 && (p.data().get(p.offset() + 9) & 0xff) == 17) {
                        byte[] dst = new byte[4];
                        p.data().get(p.offset() + 16, dst);
                        assertEquals(PEER, InetAddress.getByAddress(dst).getHostAddress());
                        sawUdp = true;
                    }
                    p.span(64, 0);
                }
            }
            assertTrue(sawUdp, "no UDP packet to " + PEER + " was read from " + device.name());
        }
    }

    @Test
    void closeWakesABlockedReaderAndIsIdempotent() throws Exception {
        PacketDevice device = new BsdTunProvider().open(tunConfig());
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            started.countDown();
            try {
                int n;
                do {
                    n = device.read(batch(1));
                } while (n > 0);
                result.set(n);
            } catch (Exception e) {
                result.set(-2);
            }
        }, "real-device-reader");
        reader.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        device.close();
        device.close();
        reader.join(5_000);
        assertFalse(reader.isAlive(), "close did not wake the reader");
        assertEquals(-1, result.get());
        PacketBatch out = batch(1);
        assertThrows(ClosedChannelException.class, () -> device.write(out));
    }
}
