package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.tun.linux.internal.MessageArray;
import io.mlvpn.tun.linux.internal.NativeSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batched system calls (recvmmsg/sendmmsg) of {@link LinuxUdpTransport}, over loopback. */
class LinuxUdpTransportBatchTest {
    private static final int HEADROOM = 16;

    @BeforeEach
    void needsJna() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
    }

    private static LinuxUdpTransport open(String address) throws IOException {
        // 4 MiB (capped by net.core.rmem_max without CAP_NET_ADMIN): room for every datagram a test queues.
        return LinuxUdpTransport.open(TransportConfig.builder(new InetSocketAddress(InetAddress.getByName(address), 0))
                .receiveBufferBytes(4 << 20).build());
    }

    /** Datagram {@code i} of a test: {@code length} bytes, first byte i, then a pattern, to {@code to}. */
    private static PacketBuffer datagram(int i, int length, InetSocketAddress to) {
        PacketBuffer p = new PacketBuffer(Math.max(64, HEADROOM + length + 16));
        for (int j = 0; j < length; j++) {
            p.data().put(HEADROOM + j, (byte) (i + j));
        }
        return p.span(HEADROOM, length).address(to);
    }

    private static PacketBatch emptyBatch(int size, int capacity) {
        PacketBatch batch = new PacketBatch(size);
        for (int i = 0; i < size; i++) {
            batch.add(new PacketBuffer(capacity).span(HEADROOM, 0));
        }
        return batch;
    }

    private static void resetSpans(PacketBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).span(HEADROOM, 0).address(null);
        }
    }

    /** The first byte of the packet: which datagram it was. */
    private static int id(PacketBuffer p) {
        return p.data().get(p.offset()) & 0xff;
    }

    private static void assertPattern(PacketBuffer p, int i, int length) {
        assertEquals(length, p.length());
        for (int j = 0; j < length; j++) {
            assertEquals((byte) (i + j), p.data().get(p.offset() + j), "datagram " + i + " byte " + j);
        }
    }

    /** Receives until {@code expected} datagrams arrived, copying each one's id, length and source out. */
    private static int receiveAll(LinuxUdpTransport t, int expected, int[] ids, int[] lengths,
            InetSocketAddress[] sources, int bufferCapacity) throws IOException {
        PacketBatch in = emptyBatch(expected, bufferCapacity);
        int got = 0;
        int calls = 0;
        while (got < expected) {
            PacketBatch rest = new PacketBatch(expected - got);
            for (int i = got; i < expected; i++) {
                rest.add(in.get(i));
            }
            int n = t.receive(rest);
            assertTrue(n >= 1 && n <= rest.size(), "receive returned " + n);
            for (int i = 0; i < n; i++) {
                PacketBuffer p = rest.get(i);
                assertEquals(HEADROOM, p.offset());
                ids[got + i] = id(p);
                lengths[got + i] = p.length();
                sources[got + i] = p.address();
            }
            got += n;
            calls++;
        }
        return calls;
    }

    @Test
    void aQueuedBatchOf32ArrivesInOneCall() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBatch out = new PacketBatch(32);
            for (int i = 0; i < 32; i++) {
                out.add(datagram(i, 100 + 40 * i, b.localAddress()));
            }
            assertEquals(32, a.send(out));
            assertEquals(0, a.sendErrors());

            PacketBatch in = emptyBatch(32, 2048);
            int first = b.receive(in);
            // Loopback delivers during sendmmsg, so all 32 are queued by now; at least more than one must come.
            assertTrue(first > 1, "one recvmmsg took only " + first + " of 32 queued datagrams");
            int got = first;
            for (int i = 0; i < first; i++) {
                assertPattern(in.get(i), i, 100 + 40 * i);
                assertEquals(a.localAddress(), in.get(i).address());
            }
            while (got < 32) {
                PacketBatch rest = emptyBatch(32 - got, 2048);
                int n = b.receive(rest);
                for (int i = 0; i < n; i++) {
                    assertPattern(rest.get(i), got + i, 100 + 40 * (got + i));
                }
                got += n;
            }
            assertEquals(32, got);
            assertEquals(0, b.truncatedDatagrams());
        }
    }

    @Test
    void batchesLargerThanOneSystemCallGoInChunks() throws Exception {
        int count = MessageArray.CAPACITY + 36;
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBatch out = new PacketBatch(count);
            for (int i = 0; i < count; i++) {
                out.add(datagram(i, 200, b.localAddress()));
            }
            assertEquals(count, a.send(out));
            int[] ids = new int[count];
            int[] lengths = new int[count];
            InetSocketAddress[] sources = new InetSocketAddress[count];
            receiveAll(b, count, ids, lengths, sources, 512);
            for (int i = 0; i < count; i++) {
                assertEquals(i, ids[i]);
                assertEquals(200, lengths[i]);
            }
        }
    }

    @Test
    void aDatagramRefusedInTheMiddleIsCountedAndTheRestIsSent() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            InetSocketAddress to = b.localAddress();
            PacketBatch out = new PacketBatch(7);
            out.add(datagram(0, 100, to));
            out.add(datagram(1, 100, to));
            // Over the IPv4 maximum of 65507 payload bytes: sendmmsg stops there, EMSGSIZE on the next call.
            out.add(datagram(2, 66_000, to));
            out.add(datagram(3, 100, to));
            // An IPv6 destination on an IPv4 socket: skipped before the call.
            out.add(datagram(4, 100, new InetSocketAddress(InetAddress.getByName("::1"), to.getPort())));
            out.add(datagram(5, 100, to));
            out.add(datagram(6, 100, to));
            assertEquals(5, a.send(out));
            assertEquals(2, a.sendErrors());

            int[] ids = new int[5];
            int[] lengths = new int[5];
            InetSocketAddress[] sources = new InetSocketAddress[5];
            receiveAll(b, 5, ids, lengths, sources, 2048);
            assertArrayEquals(new int[] {0, 1, 3, 5, 6}, ids);
        }
    }

    @Test
    void aBufferWithoutDestinationFailsAfterSendingTheOnesBeforeIt() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBatch out = new PacketBatch(4);
            out.add(datagram(0, 50, b.localAddress()));
            out.add(datagram(1, 50, b.localAddress()));
            out.add(datagram(2, 50, null));
            out.add(datagram(3, 50, b.localAddress()));
            assertThrows(IllegalArgumentException.class, () -> a.send(out));
            int[] ids = new int[2];
            int[] lengths = new int[2];
            InetSocketAddress[] sources = new InetSocketAddress[2];
            receiveAll(b, 2, ids, lengths, sources, 256);
            assertEquals(0, ids[0]);
            assertEquals(1, ids[1]);
            // Nothing else was sent: a marker sent now is the next datagram to arrive.
            PacketBatch marker = new PacketBatch(1);
            marker.add(datagram(9, 10, b.localAddress()));
            assertEquals(1, a.send(marker));
            receiveAll(b, 1, ids, lengths, sources, 256);
            assertEquals(9, ids[0]);
        }
    }

    @Test
    void truncationIsFlaggedPerDatagramOfABatch() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBatch out = new PacketBatch(4);
            out.add(datagram(0, 10, b.localAddress()));
            out.add(datagram(1, 300, b.localAddress()));
            out.add(datagram(2, 20, b.localAddress()));
            out.add(datagram(3, 48, b.localAddress()));
            assertEquals(4, a.send(out));
            int[] ids = new int[4];
            int[] lengths = new int[4];
            InetSocketAddress[] sources = new InetSocketAddress[4];
            receiveAll(b, 4, ids, lengths, sources, 64); // 64 - 16 headroom = 48 bytes of space each
            assertEquals(10, lengths[0]);
            assertEquals(48, lengths[1]);
            assertEquals(20, lengths[2]);
            assertEquals(48, lengths[3]); // exactly the space: not truncated
            assertEquals(1, b.truncatedDatagrams());
        }
    }

    @Test
    void eachBufferCarriesItsOwnSenderAmongMixedIpv4Senders() throws Exception {
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport c = open("127.0.0.2");
                LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBatch one = new PacketBatch(1);
            for (int i = 0; i < 6; i++) {
                one.clear();
                one.add(datagram(i, 30, b.localAddress()));
                // Alternating runs a, a, c, a, c, c: the cached source must change exactly at each switch.
                LinuxUdpTransport from = i == 2 || i == 4 || i == 5 ? c : a;
                assertEquals(1, from.send(one));
            }
            int[] ids = new int[6];
            int[] lengths = new int[6];
            InetSocketAddress[] sources = new InetSocketAddress[6];
            receiveAll(b, 6, ids, lengths, sources, 256);
            InetSocketAddress[] expected = {a.localAddress(), a.localAddress(), c.localAddress(), a.localAddress(),
                c.localAddress(), c.localAddress()};
            for (int i = 0; i < 6; i++) {
                assertEquals(i, ids[i]);
                assertEquals(expected[i], sources[i], "source of datagram " + i);
            }
            assertSame(sources[0], sources[1], "an unchanged sender decodes to the same object");
            assertSame(sources[4], sources[5], "an unchanged sender decodes to the same object");
        }
    }

    @Test
    void aBatchOf32CrossesIpv6Loopback() throws Exception {
        assumeTrue(LinuxUdpTransportTest.ipv6Loopback(), "no IPv6 loopback (::1) on this machine");
        try (LinuxUdpTransport a = open("::1"); LinuxUdpTransport b = open("::1")) {
            PacketBatch out = new PacketBatch(32);
            for (int i = 0; i < 32; i++) {
                out.add(datagram(i, 1400, b.localAddress()));
            }
            assertEquals(32, a.send(out));
            int[] ids = new int[32];
            int[] lengths = new int[32];
            InetSocketAddress[] sources = new InetSocketAddress[32];
            receiveAll(b, 32, ids, lengths, sources, 2048);
            for (int i = 0; i < 32; i++) {
                assertEquals(i, ids[i]);
                assertEquals(1400, lengths[i]);
                assertEquals(a.localAddress(), sources[i]);
            }
        }
    }

    @Test
    void closeWakesAReceiverBlockedOnALargeBatch() throws Exception {
        LinuxUdpTransport t = open("127.0.0.1");
        PacketBatch batch = emptyBatch(MessageArray.CAPACITY + 8, 2048);
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Path> task = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                task.set(TestSupport.currentTask());
                result.set(t.receive(batch));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "udp-batch-receiver");
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
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(0, batch.get(i).length(), "buffer " + i + " untouched");
        }
    }

    @Test
    void steadyStateBatchesOf32AllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes per thread");
        try (LinuxUdpTransport a = open("127.0.0.1"); LinuxUdpTransport b = open("127.0.0.1")) {
            PacketBatch out = new PacketBatch(32);
            for (int i = 0; i < 32; i++) {
                out.add(datagram(i, 1400, b.localAddress()));
            }
            PacketBatch in = emptyBatch(32, 2048);
            long thread = Thread.currentThread().getId();
            exchange(a, b, out, in, 200); // warm-up: thread-local arrays, slot destinations, first source
            long before = threads.getThreadAllocatedBytes(thread);
            int datagrams = exchange(a, b, out, in, 1_000);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertEquals(32_000, datagrams);
            assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over " + datagrams + " datagrams");
        }
    }

    /** Sends the batch {@code rounds} times, each time receiving all 32 back; returns datagrams received. */
    private static int exchange(LinuxUdpTransport a, LinuxUdpTransport b, PacketBatch out, PacketBatch in,
            int rounds) throws IOException {
        int total = 0;
        for (int r = 0; r < rounds; r++) {
            assertEquals(32, a.send(out));
            int got = 0;
            while (got < 32) {
                resetSpans(in);
                got += b.receive(in);
            }
            total += got;
        }
        return total;
    }
}
