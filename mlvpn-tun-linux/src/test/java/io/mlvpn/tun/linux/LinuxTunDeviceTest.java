package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.tun.linux.internal.NativeIoException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real tun and tap devices, created inside a network namespace this class makes (needs root and
 * iproute2; skipped with the reason otherwise). Each test moves its thread into the namespace.
 */
@SuppressWarnings("try") // each test holds a namespace scope it never names
class LinuxTunDeviceTest {
    private static final byte[] LOCAL = {10, 99, 0, 1};
    private static final byte[] REMOTE = {10, 99, 0, 2};
    private static NetNs netns;

    @BeforeAll
    static void createNamespace() throws Exception {
        String cause = TestSupport.netnsUnavailableCause();
        if (cause == null) {
            netns = NetNs.create();
        }
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        if (netns != null) {
            netns.close();
        }
    }

    private static NetNs.Scope inNamespace() throws IOException {
        String cause = TestSupport.netnsUnavailableCause();
        assumeTrue(cause == null, () -> "device tests skipped: " + cause);
        return netns.enter();
    }

    private static DeviceConfig.Builder tun(String name) {
        return DeviceConfig.builder().name(name).type(DeviceType.TUN).mtu(1400);
    }

    @Test
    void configuredTunAnswersAnEchoRequest() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt0").configure(true).address("10.99.0.1/24").build())) {
            assertEquals("mlvt0", device.name());
            assertTrue(device.offloadsEnabled(), "this kernel accepts TSO on tun");
            assertEquals(Optional.empty(), device.offloadsRefused());
            assertEquals(DeviceType.TUN, device.type());
            assertEquals(1400, device.mtu());
            String link = netns.exec("ip", "addr", "show", "dev", "mlvt0");
            assertTrue(link.contains("mtu 1400"), link);
            assertTrue(link.contains("inet 10.99.0.1/24"), link);
            assertTrue(link.contains(",UP"), link);

            byte[] payload = "mlvpn echo".getBytes(StandardCharsets.US_ASCII);
            PacketBuffer request = new PacketBuffer(256);
            int length = Ipv4Packets.writeEchoRequest(request.data(), 32, REMOTE, LOCAL, 0x1234, 7, payload);
            request.span(32, length);
            write(device, request);

            PacketBuffer reply = readUntil(device, 2048, 16, p -> isEchoReply(p, 0x1234));
            ByteBuffer b = reply.data();
            int ip = reply.offset();
            assertEquals(16, ip);
            assertEquals(length, reply.length());
            assertArrayEquals(LOCAL, Ipv4Packets.source(b, ip));
            assertArrayEquals(REMOTE, Ipv4Packets.destination(b, ip));
            int icmp = ip + Ipv4Packets.headerLength(b, ip);
            assertEquals(7, b.getShort(icmp + 6));
            assertArrayEquals(payload, Ipv4Packets.bytes(b, icmp + 8, payload.length));
        }
    }

    private static boolean isEchoReply(PacketBuffer p, int id) {
        ByteBuffer b = p.data();
        int ip = p.offset();
        if (p.length() < 28 || !Ipv4Packets.isIpv4(b, ip) || Ipv4Packets.protocol(b, ip) != Ipv4Packets.PROTOCOL_ICMP) {
            return false;
        }
        int icmp = ip + Ipv4Packets.headerLength(b, ip);
        return b.get(icmp) == 0 && b.getShort(icmp + 4) == id;
    }

    @Test
    void readsADatagramTheKernelRoutesIntoTheTun() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt1").configure(true).address("10.99.1.1/24").build());
                DatagramChannel sender = DatagramChannel.open()) {
            byte[] payload = "routed into the tun".getBytes(StandardCharsets.US_ASCII);
            sender.send(ByteBuffer.wrap(payload), new InetSocketAddress("10.99.1.2", 9999));

            PacketBuffer packet = readUntil(device, 2048, 40, p -> isUdpTo(p, 9999));
            ByteBuffer b = packet.data();
            int ip = packet.offset();
            assertEquals(40, ip);
            assertEquals(20 + 8 + payload.length, packet.length());
            assertArrayEquals(new byte[] {10, 99, 1, 1}, Ipv4Packets.source(b, ip));
            assertArrayEquals(new byte[] {10, 99, 1, 2}, Ipv4Packets.destination(b, ip));
            assertArrayEquals(payload, Ipv4Packets.bytes(b, ip + 28, payload.length));
            assertEquals(0, device.truncatedPackets());
        }
    }

    @Test
    void aPacketLargerThanTheBufferIsTruncatedAndCounted() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt2").configure(true).address("10.99.2.1/24").build());
                DatagramChannel sender = DatagramChannel.open()) {
            sender.send(ByteBuffer.wrap(new byte[300]), new InetSocketAddress("10.99.2.2", 9998));

            PacketBuffer packet = readUntil(device, 64, 0, p -> isUdpTo(p, 9998));
            assertEquals(64, packet.length());
            assertTrue(device.truncatedPackets() >= 1);
        }
    }

    @Test
    void withoutOffloadsAPlainDeviceReadsAndTruncates() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt13").offloads(false).configure(true)
                        .address("10.99.13.1/24").build());
                DatagramChannel sender = DatagramChannel.open()) {
            assertFalse(device.offloadsEnabled());
            assertEquals(Optional.empty(), device.offloadsRefused(), "none asked for, none refused");
            assertFalse(device.toString().contains("offloads"), device.toString());
            sender.send(ByteBuffer.wrap(new byte[300]), new InetSocketAddress("10.99.13.2", 9996));
            PacketBuffer packet = readUntil(device, 64, 0, p -> isUdpTo(p, 9996));
            assertEquals(64, packet.length());
            assertTrue(device.truncatedPackets() >= 1);
        }
    }

    private static boolean isUdpTo(PacketBuffer p, int port) {
        ByteBuffer b = p.data();
        int ip = p.offset();
        return p.length() >= 28 && Ipv4Packets.isIpv4(b, ip) && Ipv4Packets.protocol(b, ip) == Ipv4Packets.PROTOCOL_UDP
                && (b.getShort(ip + Ipv4Packets.headerLength(b, ip) + 2) & 0xffff) == port;
    }

    @Test
    void unconfiguredDeviceIsLeftAloneForTheStatusCommand() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt3").address("10.99.3.1/24").build())) {
            String link = netns.exec("ip", "addr", "show", "dev", device.name());
            assertTrue(link.contains("mtu 1500"), link);
            assertFalse(link.contains("10.99.3.1"), link);
            assertFalse(link.contains(",UP"), link);
        }
    }

    @Test
    void tapCarriesEthernetFrames() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(DeviceConfig.builder().name("mlvtap0").type(DeviceType.TAP)
                        .mtu(1400).configure(true).address("10.99.4.1/24").build());
                DatagramChannel sender = DatagramChannel.open()) {
            assertEquals(DeviceType.TAP, device.type());
            assertTrue(device.offloadsEnabled(), "this kernel accepts TSO on tap");
            assertEquals(Optional.empty(), device.offloadsRefused());
            assertFalse(device.partialChecksums(), "a tap hands out complete checksums");
            assertTrue(device.toString().contains("offloads"), device.toString());
            String link = netns.exec("ip", "-d", "link", "show", "dev", "mlvtap0");
            assertTrue(link.contains("link/ether"), link);
            assertTrue(link.contains("tap"), link);
            // Sending to a neighbour on the tap makes the kernel ask for its MAC: an ARP request frame.
            sender.send(ByteBuffer.wrap(new byte[8]), new InetSocketAddress("10.99.4.2", 9997));
            PacketBuffer frame = readUntil(device, 2048, 0, p -> p.length() >= 42 && p.data().getShort(12) == 0x0806);
            assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1}, Ipv4Packets.bytes(frame.data(), 0, 6));
            assertArrayEquals(new byte[] {10, 99, 4, 2}, Ipv4Packets.bytes(frame.data(), 14 + 24, 4));
        }
    }

    @Test
    void tapWithoutOffloadsAskedForIsPlain() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(DeviceConfig.builder().name("mlvtap1").type(DeviceType.TAP)
                        .mtu(1400).offloads(false).build())) {
            assertFalse(device.offloadsEnabled());
            assertFalse(device.partialChecksums());
            assertFalse(device.toString().contains("offloads"), device.toString());
        }
    }

    @Test
    void closeWakesABlockedReaderPromptly() throws Exception {
        try (NetNs.Scope ns = inNamespace()) {
            LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt5").build()); // down: nothing to read
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            AtomicReference<Path> task = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    task.set(TestSupport.currentTask());
                    result.set(device.read(batchOf(new PacketBuffer(2048))));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "tun-reader");
            reader.start();
            while (task.get() == null && reader.isAlive()) {
                Thread.onSpinWait();
            }
            TestSupport.awaitBlockedInPoll(task.get());
            device.close();
            reader.join(1000);
            assertFalse(reader.isAlive(), "reader still blocked one second after close");
            assertEquals(null, failure.get());
            assertEquals(-1, result.get());
        }
    }

    @Test
    void closeIsIdempotentAndFinal() throws Exception {
        try (NetNs.Scope ns = inNamespace()) {
            long fdsBefore = TestSupport.openFdCount();
            LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt6").build());
            assertNotEquals(fdsBefore, TestSupport.openFdCount());
            device.close();
            device.close();
            assertEquals(fdsBefore, TestSupport.openFdCount(), "both descriptors closed");
            assertEquals(-1, device.read(batchOf(new PacketBuffer(2048))));
            PacketBuffer packet = new PacketBuffer(128);
            packet.span(0, 40);
            assertThrows(ClosedChannelException.class, () -> device.write(batchOf(packet)));
            assertTrue(device.toString().contains("closed"));
            assertEquals(1, TestSupport.exitCode("ip", "netns", "exec", netns.name(), "ip", "link", "show", "mlvt6"),
                    "closing the only fd removes the interface");
        }
    }

    @Test
    void aMalformedPacketIsDroppedAndCountedNotThrown() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice device = LinuxTunDevice.open(tun("mlvt7").configure(true).address("10.99.7.1/24").build())) {
            PacketBuffer garbage = new PacketBuffer(128); // version nibble 0: neither IPv4 nor IPv6
            garbage.span(0, 40);
            PacketBuffer empty = new PacketBuffer(128);
            empty.span(0, 0);
            PacketBatch batch = new PacketBatch(2);
            batch.add(garbage);
            batch.add(empty);
            device.write(batch);
            assertEquals(2, device.invalidPacketsDropped());
        }
    }

    @Test
    void aBusyNameFailsNamingTheCallAndLeaksNothing() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice first = LinuxTunDevice.open(tun("mlvt8").build())) {
            long fds = TestSupport.openFdCount();
            NativeIoException e = assertThrows(NativeIoException.class, () -> LinuxTunDevice.open(tun("mlvt8").build()));
            assertTrue(e.getMessage().startsWith("ioctl(TUNSETIFF, \"mlvt8\", IFF_TUN|IFF_NO_PI|IFF_VNET_HDR): EBUSY (errno 16): "),
                    e.getMessage());
            NativeIoException plain = assertThrows(NativeIoException.class,
                    () -> LinuxTunDevice.open(tun("mlvt8").offloads(false).build()));
            assertTrue(plain.getMessage().startsWith("ioctl(TUNSETIFF, \"mlvt8\", IFF_TUN|IFF_NO_PI): EBUSY (errno 16): "),
                    plain.getMessage());
            assertEquals(fds, TestSupport.openFdCount());
            assertNotNull(first.name());
        }
    }

    @Test
    void aConfigurationFailureRemovesTheNewInterface() throws Exception {
        try (NetNs.Scope ns = inNamespace()) {
            long fds = TestSupport.openFdCount();
            // The kernel refuses a multicast address as an interface address.
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> LinuxTunDevice.open(tun("mlvt9").configure(true).address("224.0.0.1/24").build()));
            assertTrue(e.getMessage().startsWith("ioctl(SIOCSIFADDR, \"mlvt9\", 224.0.0.1/24): EINVAL"), e.getMessage());
            assertEquals(fds, TestSupport.openFdCount());
            assertEquals(1, TestSupport.exitCode("ip", "netns", "exec", netns.name(), "ip", "link", "show", "mlvt9"));
        }
    }

    @Test
    void ipv6AddressAndIpv4PeerAreApplied() throws Exception {
        try (NetNs.Scope ns = inNamespace();
                LinuxTunDevice v6 = LinuxTunDevice.open(tun("mlvt10").configure(true).address("fd00:99::1/64").build());
                LinuxTunDevice p2p = LinuxTunDevice.open(tun("mlvt11").configure(true).address("10.99.11.1/32")
                        .peer("10.99.11.2").build())) {
            String link6 = netns.exec("ip", "-6", "addr", "show", "dev", v6.name());
            assertTrue(link6.contains("inet6 fd00:99::1/64"), link6);
            String link4 = netns.exec("ip", "-4", "addr", "show", "dev", p2p.name());
            assertTrue(link4.contains("inet 10.99.11.1 peer 10.99.11.2/32"), link4);
        }
    }

    @Test
    void badAddressTextIsRefusedBeforeAnythingIsCreated() {
        IOException e = assertThrows(IOException.class,
                () -> LinuxTunDevice.open(tun("mlvt12").configure(true).address("10.0.0.1/40").build()));
        assertTrue(e.getMessage().startsWith("interface address \"10.0.0.1/40\": prefix length above 32"), e.getMessage());
        IOException peer6 = assertThrows(IOException.class,
                () -> LinuxTunDevice.open(tun("mlvt12").configure(true).address("fd00::1/64").peer("fd00::2").build()));
        assertTrue(peer6.getMessage().contains("IPv4 only"), peer6.getMessage());
    }

    private static PacketBatch batchOf(PacketBuffer buffer) {
        PacketBatch batch = new PacketBatch(1);
        batch.add(buffer);
        return batch;
    }

    private static void write(LinuxTunDevice device, PacketBuffer packet) throws IOException {
        device.write(batchOf(packet));
    }

    /**
     * Reads packets on another thread until one matches (other traffic, such as IPv6 router
     * solicitations, is skipped); fails after 10 s, closing the device to release the reader.
     */
    private static PacketBuffer readUntil(LinuxTunDevice device, int capacity, int offset, Predicate<PacketBuffer> match)
            throws Exception {
        AtomicReference<PacketBuffer> found = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    PacketBuffer buffer = new PacketBuffer(capacity);
                    buffer.span(offset, 0);
                    if (device.read(batchOf(buffer)) < 0) {
                        return;
                    }
                    if (match.test(buffer)) {
                        found.set(buffer);
                        return;
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "tun-test-reader");
        reader.start();
        reader.join(10_000);
        if (reader.isAlive()) {
            device.close();
            reader.join(5_000);
            fail("no matching packet within 10 s");
        }
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        assertNotNull(found.get(), "no matching packet among 100");
        return found.get();
    }
}
