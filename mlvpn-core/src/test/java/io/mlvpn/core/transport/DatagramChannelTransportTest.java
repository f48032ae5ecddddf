package io.mlvpn.core.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.TransportConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramChannelTransportTest {
    private static final int HEADROOM = 48;
    private static final TransportConfig LOOPBACK = config("127.0.0.1", 0);

    private final DatagramChannelTransportProvider provider = new DatagramChannelTransportProvider();

    @Test
    void providerIdentity() {
        assertEquals("datagram-channel", provider.name());
        assertEquals(0, provider.priority());
        assertTrue(provider.isAvailable());
        assertTrue(provider.supports(LOOPBACK));
        assertFalse(provider.supports(TransportConfig.builder(new InetSocketAddress(0)).bindInterface("eth0").build()));
    }

    @Test
    void openWithBindInterfaceIsRefused() {
        TransportConfig onEth0 = TransportConfig.builder(new InetSocketAddress(0)).bindInterface("eth0").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.open(onEth0));
        assertEquals("datagram-channel does not support bind.interface: eth0", e.getMessage());
    }

    @Test
    void bindFailureNamesTheAddress() throws IOException {
        try (DatagramChannelTransport first = DatagramChannelTransport.open(LOOPBACK)) {
            int port = first.localAddress().getPort();
            IOException e = assertThrows(IOException.class, () -> DatagramChannelTransport.open(config("127.0.0.1", port)));
            assertTrue(e.getMessage().startsWith("bind(127.0.0.1:" + port + "): "), e.getMessage());
        }
    }

    @Test
    void unresolvedBindAddressIsAnError() {
        TransportConfig unresolved = TransportConfig.builder(InetSocketAddress.createUnresolved("no.such.host", 5)).build();
        IOException e = assertThrows(IOException.class, () -> DatagramChannelTransport.open(unresolved));
        assertEquals("bind(no.such.host:5): unresolved address", e.getMessage());
    }

    @Test
    void sendWithoutAddressIsRefusedAfterEarlierBuffersWereSent() throws IOException {
        try (DatagramChannelTransport sender = DatagramChannelTransport.open(LOOPBACK);
                DatagramChannelTransport receiver = DatagramChannelTransport.open(LOOPBACK)) {
            PacketBatch out = new PacketBatch(2);
            out.add(datagram(40, 1).address(receiver.localAddress()));
            out.add(datagram(40, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sender.send(out));
            assertEquals("buffer 1 has no address; datagram-channel is unconnected", e.getMessage());
            assertEquals(1, receiver.receive(batchOf(1)));
        }
    }

    @Test
    void refusedDatagramIsCountedAndSkipped() throws IOException {
        try (DatagramChannelTransport sender = DatagramChannelTransport.open(LOOPBACK);
                DatagramChannelTransport receiver = DatagramChannelTransport.open(LOOPBACK)) {
            PacketBatch out = new PacketBatch(2);
            // Broadcast without SO_BROADCAST: the system refuses it before anything leaves the host.
            out.add(datagram(40, 1).address(new InetSocketAddress("255.255.255.255", 9)));
            out.add(datagram(60, 2).address(receiver.localAddress()));
            assertEquals(1, sender.send(out));
            assertEquals(1, sender.sendErrors());
            PacketBatch in = batchOf(1);
            assertEquals(1, receiver.receive(in));
            assertEquals(60, in.get(0).length());
        }
    }

    @Test
    void sendAndReceiveRestorePositionAndLimit() throws IOException {
        try (DatagramChannelTransport sender = DatagramChannelTransport.open(LOOPBACK);
                DatagramChannelTransport receiver = DatagramChannelTransport.open(LOOPBACK)) {
            PacketBuffer out = datagram(300, 3).address(receiver.localAddress());
            out.data().limit(700).position(5);
            PacketBatch outBatch = new PacketBatch(1);
            outBatch.add(out);
            assertEquals(1, sender.send(outBatch));
            assertEquals(5, out.data().position());
            assertEquals(700, out.data().limit());

            PacketBatch in = batchOf(1);
            PacketBuffer buffer = in.get(0);
            buffer.data().limit(100).position(7);
            assertEquals(1, receiver.receive(in));
            assertEquals(7, buffer.data().position());
            assertEquals(100, buffer.data().limit());
            assertEquals(300, buffer.length());
            assertEquals(sender.localAddress(), buffer.address());
        }
    }

    @Test
    void configuredSocketBuffersStillCarryTraffic() throws IOException {
        TransportConfig buffered = TransportConfig.builder(new InetSocketAddress("127.0.0.1", 0))
                .receiveBufferBytes(1 << 20).sendBufferBytes(1 << 20).build();
        try (DatagramChannelTransport sender = DatagramChannelTransport.open(buffered);
                DatagramChannelTransport receiver = DatagramChannelTransport.open(buffered)) {
            PacketBatch out = new PacketBatch(1);
            out.add(datagram(1400, 4).address(receiver.localAddress()));
            assertEquals(1, sender.send(out));
            PacketBatch in = batchOf(1);
            assertEquals(1, receiver.receive(in));
            assertEquals(1400, in.get(0).length());
        }
    }

    @Test
    void wildcardIpv6BindReceivesIpv4() throws IOException {
        Assumptions.assumeTrue(ipv6Works(), "IPv6 unavailable on this host");
        try (DatagramChannelTransport receiver = DatagramChannelTransport.open(config("::", 0));
                DatagramChannelTransport sender = DatagramChannelTransport.open(LOOPBACK)) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", receiver.localAddress().getPort());
            PacketBatch out = new PacketBatch(1);
            out.add(datagram(64, 5).address(target));
            assertEquals(1, sender.send(out));
            PacketBatch in = batchOf(1);
            assertEquals(1, receiver.receive(in));
            assertEquals(sender.localAddress(), in.get(0).address());
            byte[] got = new byte[64];
            in.get(0).data().get(HEADROOM, got);
            assertArrayEquals(bytes(64, 5), got);
        }
    }

    @Test
    void steadySendAndReceiveAllocateNothing() throws IOException {
        java.lang.management.ThreadMXBean plain = java.lang.management.ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean,
                "this JVM has no com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) plain;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "thread allocation accounting unavailable");
        try (DatagramChannelTransport sender = DatagramChannelTransport.open(LOOPBACK);
                DatagramChannelTransport receiver = DatagramChannelTransport.open(LOOPBACK)) {
            PacketBatch out = new PacketBatch(1);
            out.add(datagram(1200, 6).address(receiver.localAddress()));
            PacketBatch in = batchOf(1);
            long threadId = Thread.currentThread().getId();
            long bytes = pingPong(sender, receiver, out, in, 20_000);
            long before = threads.getThreadAllocatedBytes(threadId);
            int iterations = 10_000;
            bytes += pingPong(sender, receiver, out, in, iterations);
            long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertEquals(30_000L * 1200, bytes, "every datagram arrived whole");
            assertTrue(allocated < iterations, "allocated " + allocated + " bytes in " + iterations + " datagrams");
        }
    }

    /** Sends one datagram and receives it, {@code iterations} times; returns bytes received. */
    private static long pingPong(DatagramChannelTransport sender, DatagramChannelTransport receiver,
            PacketBatch out, PacketBatch in, int iterations) throws IOException {
        long bytes = 0;
        PacketBuffer buffer = in.get(0);
        for (int i = 0; i < iterations; i++) {
            sender.send(out);
            buffer.span(HEADROOM, 0);
            receiver.receive(in);
            bytes += buffer.length();
        }
        return bytes;
    }

    @Test
    void receiveIntoEmptyBatchIsRefused() throws IOException {
        try (DatagramChannelTransport t = DatagramChannelTransport.open(LOOPBACK)) {
            assertThrows(IllegalArgumentException.class, () -> t.receive(new PacketBatch(1)));
        }
    }

    private static TransportConfig config(String host, int port) {
        try {
            return TransportConfig.builder(new InetSocketAddress(InetAddress.getByName(host), port)).build();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static PacketBuffer datagram(int length, int seed) {
        PacketBuffer buffer = new PacketBuffer(2048);
        buffer.data().put(HEADROOM, bytes(length, seed));
        return buffer.span(HEADROOM, length);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 11 + seed);
        }
        return p;
    }

    private static PacketBatch batchOf(int buffers) {
        PacketBatch batch = new PacketBatch(buffers);
        for (int i = 0; i < buffers; i++) {
            batch.add(new PacketBuffer(2048).span(HEADROOM, 0));
        }
        return batch;
    }

    private static boolean ipv6Works() {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return probe.getLocalPort() != 0;
        } catch (IOException e) {
            return false;
        }
    }}
