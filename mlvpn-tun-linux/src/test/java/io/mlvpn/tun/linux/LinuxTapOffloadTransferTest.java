package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real TCP transfer, over IPv4 and over IPv6, through two offloading tap devices: namespace A
 * and namespace B, each with one tap device, joined by a relay that moves every frame read from
 * one tap to the other (a virtual Ethernet wire: ARP and neighbour discovery cross it like the
 * data). The kernel drops segments with a wrong checksum, so N bytes arriving with the sender's
 * hash prove the split and joined frames right; the relay also checks that no frame comes out of
 * a tap with a partial checksum. Prints how many super-frames were read and how many frames were
 * joined, and the time (indicative only: nothing here asserts a speed). Needs root and iproute2;
 * skipped with the reason otherwise.
 */
@SuppressWarnings("try") // the namespace scopes are held, never named
class LinuxTapOffloadTransferTest {
    private static final int BYTES = 8 << 20;

    /** What one transfer did. */
    record Result(long elapsedNanos, long superFramesRead, long framesJoined, long partialFramesSeen,
            long malformedDropped, long truncated, boolean offloadsEnabled) {
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"IPv4, 10.99.31.1, 10.99.31.2, 24", "IPv6, fd00:99:31::1, fd00:99:31::2, 64"})
    void tcpTransferThroughOffloadingTapsArrivesIntact(String family, String addressA, String addressB, int prefix)
            throws Exception {
        String cause = TestSupport.netnsUnavailableCause();
        assumeTrue(cause == null, () -> "tap offload transfer test skipped: " + cause);
        Result r = transfer(addressA, addressB, prefix, true);
        System.out.printf(Locale.ROOT, "tap offload transfer %s: %d super-frames read, %d frames joined, %.0f ms%n",
                family, r.superFramesRead(), r.framesJoined(), r.elapsedNanos() / 1e6);
        assertTrue(r.offloadsEnabled(), "this kernel accepts TSO on tap");
        assertTrue(r.superFramesRead() > 0, "the kernel handed over TCP super-frames");
        assertTrue(r.framesJoined() > 0, "frames were joined on write");
        assertEquals(0, r.partialFramesSeen(), "a tap hands out complete checksums");
        assertEquals(0, r.malformedDropped());
        assertEquals(0, r.truncated());
    }

    /** The same transfer with and without offloads, for the printed comparison; only the data is asserted. */
    @Test
    void offloadsAgainstAPlainTap() throws Exception {
        String cause = TestSupport.netnsUnavailableCause();
        assumeTrue(cause == null, () -> "tap offload comparison skipped: " + cause);
        Result plain = transfer("10.99.32.1", "10.99.32.2", 24, false);
        Result offloaded = transfer("10.99.32.1", "10.99.32.2", 24, true);
        assertFalse(plain.offloadsEnabled());
        assertEquals(0, plain.superFramesRead() + plain.framesJoined());
        System.out.printf(Locale.ROOT, "tap 8 MiB IPv4: plain %.0f ms, offloads %.0f ms (%d super-frames, %d joined);"
                + " plain/offloads time ratio %.2f (single short run, indicative only)%n", plain.elapsedNanos() / 1e6,
                offloaded.elapsedNanos() / 1e6, offloaded.superFramesRead(), offloaded.framesJoined(),
                (double) plain.elapsedNanos() / offloaded.elapsedNanos());
    }

    /**
     * Sends {@link #BYTES} random bytes from A to B over TCP through the two taps and checks they
     * arrive with the sender's SHA-256; cleans up the namespaces, devices and threads in any case.
     */
    static Result transfer(String addressA, String addressB, int prefix, boolean offloads) throws Exception {
        try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
            for (NetNs ns : new NetNs[] {a, b}) {
                // Without duplicate address detection the IPv6 addresses are usable at once.
                ns.exec("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
            }
            LinuxTunDevice tapA;
            LinuxTunDevice tapB;
            ServerSocket server;
            try (NetNs.Scope s = a.enter()) {
                tapA = LinuxTunDevice.open(config("mlvta", addressA + "/" + prefix, offloads));
            }
            try (NetNs.Scope s = b.enter()) {
                tapB = LinuxTunDevice.open(config("mlvtb", addressB + "/" + prefix, offloads));
                server = new ServerSocket();
                ServerSocket listening = server;
                LinuxTunOffloadTransferTest.bindOnceUsable(
                        () -> listening.bind(new InetSocketAddress(InetAddress.getByName(addressB), 5201)));
            }
            Socket client;
            try (NetNs.Scope s = a.enter()) {
                // Binding creates the socket (Socket() alone defers it to connect), so inside namespace A.
                client = new Socket();
                Socket connecting = client;
                LinuxTunOffloadTransferTest.bindOnceUsable(
                        () -> connecting.bind(new InetSocketAddress(InetAddress.getByName(addressA), 0)));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong partial = new AtomicLong();
            // A tap must hand out no partial checksum; the relay counts any.
            Thread ab = LinuxTunOffloadTransferTest.relay(tapA, tapB, false, partial, failure);
            Thread ba = LinuxTunOffloadTransferTest.relay(tapB, tapA, false, partial, failure);
            Result result;
            try (tapA; tapB; server; client) {
                assertFalse(tapA.partialChecksums() || tapB.partialChecksums(), "a tap takes no partial checksums");
                byte[] data = new byte[BYTES];
                new Random(1).nextBytes(data);
                AtomicReference<byte[]> received = new AtomicReference<>();
                AtomicLong receivedBytes = new AtomicLong();
                Thread receiver = new Thread(() -> {
                    try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                        MessageDigest digest = MessageDigest.getInstance("SHA-256");
                        byte[] buffer = new byte[65536];
                        for (int n; (n = in.read(buffer)) > 0;) {
                            digest.update(buffer, 0, n);
                            receivedBytes.addAndGet(n);
                        }
                        received.set(digest.digest());
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "tap-offload-receiver");
                receiver.start();
                long start = System.nanoTime();
                client.connect(new InetSocketAddress(InetAddress.getByName(addressB), 5201), 10_000);
                try (OutputStream out = client.getOutputStream()) {
                    out.write(data);
                } catch (IOException e) {
                    receiver.join(5_000);
                    throw new AssertionError("send failed; receiver: " + failure.get() + "; joined "
                            + tapA.coalescedPackets() + "/" + tapB.coalescedPackets() + ", invalid "
                            + tapA.invalidPacketsDropped() + "/" + tapB.invalidPacketsDropped() + ", malformed "
                            + tapA.malformedSuperPacketsDropped() + "/" + tapB.malformedSuperPacketsDropped(), e);
                }
                receiver.join(60_000);
                long elapsed = System.nanoTime() - start;
                assertFalse(receiver.isAlive(), "transfer did not finish within 60 s");
                assertNull(failure.get(), () -> "failed: " + failure.get());
                assertEquals(BYTES, receivedBytes.get());
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), received.get());
                result = new Result(elapsed, tapA.superPacketsRead() + tapB.superPacketsRead(),
                        tapA.coalescedPackets() + tapB.coalescedPackets(), partial.get(),
                        tapA.malformedSuperPacketsDropped() + tapB.malformedSuperPacketsDropped(),
                        tapA.truncatedPackets() + tapB.truncatedPackets(),
                        tapA.offloadsEnabled() && tapB.offloadsEnabled());
            } finally {
                ab.join(5_000);
                ba.join(5_000);
            }
            assertFalse(ab.isAlive() || ba.isAlive(), "relays end when the devices close");
            return result;
        }
    }

    private static DeviceConfig config(String name, String address, boolean offloads) {
        return DeviceConfig.builder().name(name).type(DeviceType.TAP).mtu(1400).configure(true).address(address)
                .offloads(offloads).build();
    }
}
