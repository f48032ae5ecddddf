package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real TCP transfer, over IPv4 and over IPv6, through two offloading tun devices: namespace A
 * and namespace B, each with one tun device, joined by a relay that reads a batch from one device and writes
 * it to the other, the way the engine's reader and writer do. The kernel drops segments with a
 * wrong checksum, so N bytes arriving with the sender's hash prove the split and joined packets
 * right. The relay passes partial checksums on as read (what the engine does between two such
 * devices) or completes them first (what it does for a device that takes none). Needs root and
 * iproute2; skipped with the reason otherwise.
 */
@SuppressWarnings("try") // the namespace scopes are held, never named
class LinuxTunOffloadTransferTest {
    private static final int BYTES = 8 << 20;

    @ParameterizedTest(name = "{0}, checksums completed by the relay: {4}")
    @CsvSource({"IPv4, 10.99.30.1, 10.99.30.2, 24, false", "IPv6, fd00:99:30::1, fd00:99:30::2, 64, false",
        "IPv4, 10.99.30.1, 10.99.30.2, 24, true"})
    void tcpTransferThroughOffloadingDevicesArrivesIntact(String family, String addressA, String addressB, int prefix,
            boolean complete) throws Exception {
        String cause = TestSupport.netnsUnavailableCause();
        assumeTrue(cause == null, () -> "offload transfer test skipped: " + cause);
        try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
            for (NetNs ns : new NetNs[] {a, b}) {
                // Without duplicate address detection the IPv6 addresses are usable at once.
                ns.exec("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
            }
            LinuxTunDevice tunA;
            LinuxTunDevice tunB;
            ServerSocket server;
            try (NetNs.Scope s = a.enter()) {
                tunA = LinuxTunDevice.open(config("mlvoa", addressA + "/" + prefix));
            }
            try (NetNs.Scope s = b.enter()) {
                tunB = LinuxTunDevice.open(config("mlvob", addressB + "/" + prefix));
                server = new ServerSocket();
                ServerSocket listening = server;
                bindOnceUsable(() -> listening.bind(new InetSocketAddress(InetAddress.getByName(addressB), 5201)));
            }
            Socket client;
            try (NetNs.Scope s = a.enter()) {
                // Binding creates the socket (Socket() alone defers it to connect), so inside namespace A.
                client = new Socket();
                Socket connecting = client;
                bindOnceUsable(() -> connecting.bind(new InetSocketAddress(InetAddress.getByName(addressA), 0)));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong partial = new AtomicLong();
            Thread ab = relay(tunA, tunB, complete, partial, failure);
            Thread ba = relay(tunB, tunA, complete, partial, failure);
            try (tunA; tunB; server; client) {
                assertTrue(tunA.offloadsEnabled() && tunB.offloadsEnabled(), "this kernel accepts TSO on tun");
                assertTrue(tunA.partialChecksums() && tunB.partialChecksums());
                byte[] data = new byte[BYTES];
                new Random(1).nextBytes(data);
                AtomicReference<byte[]> received = new AtomicReference<>();
                AtomicReference<Long> receivedBytes = new AtomicReference<>(0L);
                Thread receiver = new Thread(() -> {
                    try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                        MessageDigest digest = MessageDigest.getInstance("SHA-256");
                        byte[] buffer = new byte[65536];
                        long total = 0;
                        for (int n; (n = in.read(buffer)) > 0;) {
                            digest.update(buffer, 0, n);
                            total += n;
                        }
                        receivedBytes.set(total);
                        received.set(digest.digest());
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "offload-receiver");
                receiver.start();
                client.connect(new InetSocketAddress(InetAddress.getByName(addressB), 5201), 10_000);
                try (OutputStream out = client.getOutputStream()) {
                    out.write(data);
                } catch (IOException e) {
                    receiver.join(5_000);
                    throw new AssertionError("send failed; receiver: " + failure.get() + "; coalesced " + tunA.coalescedPackets()
                            + "/" + tunB.coalescedPackets() + ", invalid " + tunA.invalidPacketsDropped() + "/"
                            + tunB.invalidPacketsDropped() + ", malformed " + tunA.malformedSuperPacketsDropped() + "/"
                            + tunB.malformedSuperPacketsDropped(), e);
                }
                receiver.join(60_000);
                assertFalse(receiver.isAlive(), "transfer did not finish within 60 s");
                assertNull(failure.get(), () -> "failed: " + failure.get());
                assertEquals(BYTES, receivedBytes.get());
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), received.get());
                assertTrue(tunA.superPacketsRead() > 0, "the kernel handed over TCP super-packets");
                assertTrue(partial.get() > 0, "segments came with partial checksums");
                assertTrue(tunB.coalescedPackets() + tunA.coalescedPackets() > 0, "segments were joined on write");
                assertEquals(0, tunA.malformedSuperPacketsDropped() + tunB.malformedSuperPacketsDropped());
                assertEquals(0, tunA.truncatedPackets() + tunB.truncatedPackets());
            } finally {
                ab.join(5_000);
                ba.join(5_000);
            }
            assertFalse(ab.isAlive() || ba.isAlive(), "relays end when the devices close");
        }
    }

    /** A bind. */
    interface Bind {
        void run() throws IOException;
    }

    /**
     * Binds, retrying for up to 5 s while the address is not usable yet: the kernel finishes a
     * new IPv6 address on a workqueue after the link comes up (even without DAD), and offers
     * nothing to wait on but the address's state, so this re-checks every 20 ms.
     */
    static void bindOnceUsable(Bind bind) throws IOException, InterruptedException {
        for (int tries = 0;; tries++) {
            try {
                bind.run();
                return;
            } catch (BindException e) {
                if (tries >= 250) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static DeviceConfig config(String name, String address) {
        return DeviceConfig.builder().name(name).type(DeviceType.TUN).mtu(1400).configure(true).address(address).build();
    }

    /**
     * Moves every packet read from {@code from} to {@code to} until {@code from} closes, counting
     * those with a partial checksum and, when {@code complete}, completing them. The tap transfer
     * test uses it too.
     */
    static Thread relay(LinuxTunDevice from, LinuxTunDevice to, boolean complete, AtomicLong partial,
            AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            PacketBatch read = new PacketBatch(32);
            PacketBuffer[] buffers = new PacketBuffer[32];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new PacketBuffer(2048);
            }
            PacketBatch write = new PacketBatch(32);
            try {
                for (;;) {
                    read.clear();
                    for (PacketBuffer buffer : buffers) {
                        read.add(buffer.clear().span(64, 0));
                    }
                    int n = from.read(read);
                    if (n < 0) {
                        return;
                    }
                    write.clear();
                    for (int i = 0; i < n; i++) {
                        PacketBuffer b = buffers[i];
                        OffloadInfo o = b.offload();
                        if ((o.flags() & OffloadInfo.FLAG_NEEDS_CSUM) != 0) {
                            partial.incrementAndGet();
                            if (complete) {
                                if (!InternetChecksum.complete(b.data(), b.offset(), b.length(), o.csumStart(),
                                        o.csumOffset())) {
                                    failure.compareAndSet(null, new AssertionError("checksum field outside the packet"));
                                }
                                o.clear();
                            }
                        }
                        write.add(b);
                    }
                    to.write(write);
                }
            } catch (ClosedChannelException e) {
                // the other device closed first: the transfer is over
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            }
        }, "relay-" + from.name());
        t.start();
        return t;
    }
}
