package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.tun.linux.internal.NativeIoException;
import io.mlvpn.tun.linux.internal.NativeSupport;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native UDP transport on loopback (and, for routing errors, in a namespace of its own). */
class LinuxUdpTransportTest {

    @BeforeEach
    void needsJna() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
    }

    private static LinuxUdpTransport open(String address) throws IOException {
        return LinuxUdpTransport.open(TransportConfig.builder(new InetSocketAddress(InetAddress.getByName(address), 0)).build());
    }

    @Test
    void exchangesABatchOverIpv4() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            exchange(a, b);
        }
    }

    @Test
    void exchangesABatchOverIpv6() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback (::1) on this machine");
        try (LinuxUdpTransport a = open("::1"); LinuxUdpTransport b = open("::1")) {
            exchange(a, b);
        }
    }

    static boolean ipv6Loopback() {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** a sends three datagrams of different sizes and offsets to b in one batch; b answers one. */
    private static void exchange(LinuxUdpTransport a, LinuxUdpTransport b) throws IOException {
        assertTrue(a.localAddress().getPort() > 0);
        PacketBatch out = new PacketBatch(3);
        for (int i = 0; i < 3; i++) {
            PacketBuffer p = new PacketBuffer(2048);
            int offset = 16 * i;
            int length = 100 + 500 * i;
            for (int j = 0; j < length; j++) {
                p.data().put(offset + j, (byte) (i + j));
            }
            p.span(offset, length).address(b.localAddress());
            out.add(p);
        }
        assertEquals(3, a.send(out));

        PacketBatch in = emptyBatch(3, 2048, 32);
        int received = 0;
        while (received < 3) {
            PacketBatch rest = emptyBatch(3 - received, 2048, 32);
            int n = b.receive(rest);
            for (int i = 0; i < n; i++) {
                in.get(received + i).span(rest.get(i).offset(), rest.get(i).length()).address(rest.get(i).address());
                copy(rest.get(i), in.get(received + i));
            }
            received += n;
        }
        for (int i = 0; i < 3; i++) {
            PacketBuffer p = in.get(i);
            assertEquals(32, p.offset());
            assertEquals(100 + 500 * i, p.length());
            assertEquals(a.localAddress(), p.address());
            for (int j = 0; j < p.length(); j++) {
                assertEquals((byte) (i + j), p.data().get(p.offset() + j));
            }
        }
        assertSame(in.get(0).address(), in.get(2).address(), "the same source decodes to the same object");

        PacketBuffer reply = new PacketBuffer(256);
        reply.data().put(0, (byte) 42);
        reply.span(0, 1).address(in.get(0).address());
        PacketBatch one = new PacketBatch(1);
        one.add(reply);
        assertEquals(1, b.send(one));
        PacketBatch back = emptyBatch(1, 256, 0);
        assertEquals(1, a.receive(back));
        assertEquals(42, back.get(0).data().get(0));
        assertEquals(b.localAddress(), back.get(0).address());
        assertEquals(0, a.sendErrors());
        assertEquals(0, b.sendErrors());
    }

    private static void copy(PacketBuffer from, PacketBuffer to) {
        for (int j = 0; j < from.length(); j++) {
            to.data().put(to.offset() + j, from.data().get(from.offset() + j));
        }
    }

    private static PacketBatch emptyBatch(int size, int capacity, int headroom) {
        PacketBatch batch = new PacketBatch(size);
        for (int i = 0; i < size; i++) {
            PacketBuffer p = new PacketBuffer(capacity);
            p.span(headroom, 0);
            batch.add(p);
        }
        return batch;
    }

    @Test
    void aDualStackSocketSeesIpv4PeersAsIpv4() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 on this machine");
        try (LinuxUdpTransport dual = open("::"); LinuxUdpTransport v4 = open("127.0.0.1")) {
            PacketBuffer p = new PacketBuffer(128);
            p.span(0, 5).address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), dual.localAddress().getPort()));
            PacketBatch batch = new PacketBatch(1);
            batch.add(p);
            assertEquals(1, v4.send(batch));
            PacketBatch in = emptyBatch(1, 128, 0);
            assertEquals(1, dual.receive(in));
            assertInstanceOf(Inet4Address.class, in.get(0).address().getAddress());
            assertEquals(v4.localAddress(), in.get(0).address());
            // And back: an IPv4 destination on the AF_INET6 socket goes out as ::ffff:127.0.0.1.
            in.get(0).length(3);
            assertEquals(1, dual.send(in));
            PacketBatch back = emptyBatch(1, 128, 0);
            assertEquals(1, v4.receive(back));
            assertEquals(3, back.get(0).length());
        }
    }

    @Test
    void aDatagramLargerThanTheBufferIsTruncatedAndCounted() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBuffer big = new PacketBuffer(1024);
            big.span(0, 300).address(b.localAddress());
            PacketBatch out = new PacketBatch(1);
            out.add(big);
            a.send(out);
            PacketBatch in = emptyBatch(1, 64, 14);
            assertEquals(1, b.receive(in));
            assertEquals(50, in.get(0).length());
            assertEquals(1, b.truncatedDatagrams());
        }
    }

    @Test
    void bindInterfaceLoWorks() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        try (LinuxUdpTransport a = LinuxUdpTransport.open(TransportConfig.builder(any).bindInterface("lo").build());
                LinuxUdpTransport b = LinuxUdpTransport.open(TransportConfig.builder(any).bindInterface("lo").build())) {
            exchange(a, b);
        }
    }

    @Test
    void aBogusInterfaceNamesTheCallAndLeaksNothing() throws Exception {
        long fds = TestSupport.openFdCount();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> LinuxUdpTransport.open(TransportConfig.builder(any).bindInterface("nosuchif0").build()));
        assertTrue(e.getMessage().startsWith("setsockopt(SO_BINDTODEVICE, \"nosuchif0\"): ENODEV (errno 19): "),
                e.getMessage());
        assertEquals(fds, TestSupport.openFdCount());
    }

    @Test
    void anAddressInUseNamesBindAndLeaksNothing() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1")) {
            long fds = TestSupport.openFdCount();
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> LinuxUdpTransport.open(TransportConfig.builder(a.localAddress()).build()));
            assertTrue(e.getMessage().startsWith("bind(" + a.localAddress() + "): EADDRINUSE (errno 98)"), e.getMessage());
            assertEquals(fds, TestSupport.openFdCount());
        }
    }

    @Test
    void forcedBuffersGoBeyondTheSystemMaximumAsRoot() throws Exception {
        assumeTrue(TestSupport.isRoot(), "SO_RCVBUFFORCE needs CAP_NET_ADMIN: run as root");
        int bytes = 8 * 1024 * 1024;
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        try (LinuxUdpTransport t = LinuxUdpTransport.open(
                TransportConfig.builder(any).receiveBufferBytes(bytes).sendBufferBytes(bytes).build())) {
            assertEquals(2 * bytes, t.receiveBufferBytes()); // Linux doubles the value it is given
            assertEquals(2 * bytes, t.sendBufferBytes());
        }
    }

    @Test
    void closeWakesABlockedReceiverPromptly() throws Exception {
        LinuxUdpTransport t = open("127.0.0.1");
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Path> task = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                task.set(TestSupport.currentTask());
                result.set(t.receive(emptyBatch(1, 2048, 0)));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "udp-receiver");
        receiver.start();
        while (task.get() == null && receiver.isAlive()) {
            Thread.onSpinWait();
        }
        TestSupport.awaitBlockedInPoll(task.get());
        t.close();
        receiver.join(1000);
        assertFalse(receiver.isAlive(), "receiver still blocked one second after close");
        assertNull(failure.get());
        assertEquals(-1, result.get());
    }

    @Test
    void closeIsIdempotentAndFinal() throws Exception {
        long fds = TestSupport.openFdCount();
        LinuxUdpTransport t = open("127.0.0.1");
        t.close();
        t.close();
        assertEquals(fds, TestSupport.openFdCount());
        assertEquals(-1, t.receive(emptyBatch(1, 128, 0)));
        PacketBuffer p = new PacketBuffer(128);
        p.span(0, 1).address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9));
        PacketBatch batch = new PacketBatch(1);
        batch.add(p);
        assertThrows(ClosedChannelException.class, () -> t.send(batch));
    }

    @Test
    void anUnreachableFamilyIsCountedNotThrown() throws Exception {
        try (LinuxUdpTransport t = open("127.0.0.1")) {
            PacketBuffer p = new PacketBuffer(128);
            p.span(0, 10).address(new InetSocketAddress(InetAddress.getByName("::1"), 9));
            PacketBatch batch = new PacketBatch(1);
            batch.add(p);
            assertEquals(0, t.send(batch));
            assertEquals(1, t.sendErrors());
        }
    }

    @Test
    void aDatagramWithoutDestinationIsABug() throws Exception {
        try (LinuxUdpTransport t = open("127.0.0.1")) {
            PacketBuffer p = new PacketBuffer(128);
            p.span(0, 10);
            PacketBatch batch = new PacketBatch(1);
            batch.add(p);
            assertThrows(IllegalArgumentException.class, () -> t.send(batch));
        }
    }

    @Test
    void noRouteIsCountedNotThrown() throws Exception {
        String cause = TestSupport.netnsUnavailableCause();
        assumeTrue(cause == null, () -> "namespace test skipped: " + cause);
        try (NetNs netns = NetNs.create()) {
            NetNs.Scope scope = netns.enter();
            try (LinuxUdpTransport t = open("0.0.0.0")) {
                // A new namespace has no route at all, so nothing leaves: sendto fails with ENETUNREACH.
                PacketBuffer p = new PacketBuffer(128);
                p.span(0, 10).address(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 9));
                PacketBatch batch = new PacketBatch(2);
                batch.add(p);
                batch.add(p);
                assertEquals(0, t.send(batch));
                assertEquals(2, t.sendErrors());
            } finally {
                scope.close();
            }
        }
    }

    @Test
    void steadyStateSendAndReceiveAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes per thread");
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBuffer packet = new PacketBuffer(2048);
            packet.span(16, 1400).address(b.localAddress());
            PacketBatch out = new PacketBatch(1);
            out.add(packet);
            PacketBuffer received = new PacketBuffer(2048);
            PacketBatch in = new PacketBatch(1);
            in.add(received);
            long thread = Thread.currentThread().getId();
            pingPong(a, b, out, in, received, 2_000); // first use: thread-local scratch, first peer address
            long before = threads.getThreadAllocatedBytes(thread);
            pingPong(a, b, out, in, received, 10_000);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 10000 datagrams");
        }
    }

    private static void pingPong(LinuxUdpTransport a, LinuxUdpTransport b, PacketBatch out, PacketBatch in,
            PacketBuffer received, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            assertEquals(1, a.send(out));
            received.span(16, 0);
            assertEquals(1, b.receive(in));
        }
    }
}
