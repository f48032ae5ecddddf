package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.tun.linux.internal.NativeSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * UDP GSO on send, UDP GRO on receive and the kernel's receive-buffer drop counter of
 * {@link LinuxUdpTransport}, over IPv4 loopback. Loopback delivers during the sender's system call
 * and keeps a GSO message whole up to the receiving socket, so a GRO receiver sees exactly what the
 * sender coalesced, and a plain receiver sees the kernel's segmentation.
 */
class LinuxUdpTransportOffloadTest {
    private static final int HEADROOM = 16;
    /** SO_NO_CHECK ({@code <asm-generic/socket.h>}): UDP without checksums, which GSO refuses (EINVAL). */
    private static final int SO_NO_CHECK = 11;

    @BeforeEach
    void needsJna() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
    }

    private static TransportConfig config(int receiveBufferBytes) throws IOException {
        return TransportConfig.builder(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .receiveBufferBytes(receiveBufferBytes).build();
    }

    private static LinuxUdpTransport open(boolean segmentation, boolean coalescing) throws IOException {
        LinuxUdpTransport t = LinuxUdpTransport.open(config(4 << 20), segmentation, coalescing);
        if (segmentation) {
            assumeTrue(t.segmentationOffload(), "the kernel refuses UDP_SEGMENT (Linux < 4.18)");
        }
        if (coalescing) {
            assumeTrue(t.receiveCoalescing(), "the kernel refuses UDP_GRO (Linux < 5.0)");
        }
        return t;
    }

    private static DatagramChannel plainReceiver() throws IOException {
        DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        return c;
    }

    /** Datagram {@code id}: {@code length} bytes, byte j = id * 7 + j, to {@code to}. */
    private static PacketBuffer datagram(int id, int length, InetSocketAddress to) {
        PacketBuffer p = new PacketBuffer(HEADROOM + Math.max(length, 64));
        for (int j = 0; j < length; j++) {
            p.data().put(HEADROOM + j, (byte) (id * 7 + j));
        }
        return p.span(HEADROOM, length).address(to);
    }

    private static void assertDatagram(int id, int length, ByteBuffer data, int offset, int actualLength) {
        assertEquals(length, actualLength, "length of datagram " + id);
        for (int j = 0; j < length; j++) {
            assertEquals((byte) (id * 7 + j), data.get(offset + j), "datagram " + id + " byte " + j);
        }
    }

    /** Reads the next datagram from a blocking channel and checks it is datagram {@code id}. */
    private static void expect(DatagramChannel c, int id, int length) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(65536);
        c.receive(in);
        assertDatagram(id, length, in, 0, in.position());
    }

    private static PacketBatch emptyBatch(int size) {
        PacketBatch batch = new PacketBatch(size);
        for (int i = 0; i < size; i++) {
            batch.add(new PacketBuffer(2048).span(HEADROOM, 0));
        }
        return batch;
    }

    /**
     * Receives {@code lengths.length} datagrams with batches of {@code batchSize} and checks each is
     * datagram i with lengths[i] bytes from {@code from}.
     *
     * @return receive calls made
     */
    private static int receiveInOrder(LinuxUdpTransport t, int[] lengths, int batchSize, InetSocketAddress from)
            throws IOException {
        PacketBatch in = emptyBatch(batchSize);
        int got = 0;
        int calls = 0;
        while (got < lengths.length) {
            for (int i = 0; i < batchSize; i++) {
                in.get(i).span(HEADROOM, 0).address(null);
            }
            int n = t.receive(in);
            calls++;
            assertTrue(n >= 1 && n <= batchSize, "receive returned " + n);
            assertTrue(got + n <= lengths.length, "more datagrams than sent: " + (got + n));
            for (int i = 0; i < n; i++) {
                PacketBuffer p = in.get(i);
                assertEquals(HEADROOM, p.offset());
                assertEquals(from, p.address());
                assertDatagram(got + i, lengths[got + i], p.data(), p.offset(), p.length());
            }
            got += n;
        }
        return calls;
    }

    @Test
    void aGsoRunArrivesAsItsDatagramsAtAPlainReceiver() throws Exception {
        try (LinuxUdpTransport a = open(true, false); DatagramChannel b = plainReceiver()) {
            InetSocketAddress to = (InetSocketAddress) b.getLocalAddress();
            int[] lengths = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 300};
            PacketBatch out = new PacketBatch(lengths.length);
            for (int i = 0; i < lengths.length; i++) {
                out.add(datagram(i, lengths[i], to));
            }
            assertEquals(lengths.length, a.send(out));
            assertEquals(0, a.sendErrors());
            assertTrue(a.segmentationOffload());
            for (int i = 0; i < lengths.length; i++) {
                expect(b, i, lengths[i]);
            }
        }
    }

    @Test
    void mixedDestinationsAndSizesBreakRunsWithoutReordering() throws Exception {
        try (LinuxUdpTransport a = open(true, false); DatagramChannel b = plainReceiver();
                DatagramChannel c = plainReceiver()) {
            InetSocketAddress toB = (InetSocketAddress) b.getLocalAddress();
            // A separate but equal address object: still one run.
            InetSocketAddress toBAgain = new InetSocketAddress(toB.getAddress(), toB.getPort());
            InetSocketAddress toC = (InetSocketAddress) c.getLocalAddress();
            // Runs: B 500x3; C 500; B 500 (equal object) 500 then 700 (longer: a new run) 700 200 (shorter ends);
            // B 200 200 (a new run); C 0 (empty, never segmented); C 64 x 70 (more than 64 segments).
            PacketBatch out = new PacketBatch(128);
            int[] toWhich = new int[128];
            int[] lengths = new int[128];
            int n = 0;
            int[] plan = {
                0, 500, 0, 500, 0, 500, 1, 500, 0, 500, 2, 500, 0, 700, 0, 700, 0, 200, 0, 200, 0, 200, 1, 0};
            for (int k = 0; k < plan.length; k += 2) {
                toWhich[n] = plan[k];
                lengths[n] = plan[k + 1];
                n++;
            }
            for (int k = 0; k < 70; k++) {
                toWhich[n] = 1;
                lengths[n] = 64;
                n++;
            }
            for (int i = 0; i < n; i++) {
                InetSocketAddress to = toWhich[i] == 1 ? toC : toWhich[i] == 2 ? toBAgain : toB;
                out.add(datagram(i, lengths[i], to));
            }
            assertEquals(n, a.send(out));
            assertEquals(0, a.sendErrors());
            for (int i = 0; i < n; i++) {
                expect(toWhich[i] == 1 ? c : b, i, lengths[i]);
            }
        }
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 7, 32, 64})
    void groSplitsAGsoBurstIntoTheOriginalDatagramsAcrossCalls(int batchSize) throws Exception {
        try (LinuxUdpTransport a = open(true, false); LinuxUdpTransport b = open(false, true)) {
            // 100 x 1400 then a 600: GSO messages of 46 (65507 / 1400), then the rest of the first
            // 64-datagram chunk, then the remainder with the short one last.
            int[] lengths = new int[101];
            PacketBatch out = new PacketBatch(lengths.length);
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = i < 100 ? 1400 : 600;
                out.add(datagram(i, lengths[i], b.localAddress()));
            }
            assertEquals(lengths.length, a.send(out));
            int calls = receiveInOrder(b, lengths, batchSize, a.localAddress());
            assertEquals((lengths.length + batchSize - 1) / batchSize, calls, "every call but the last is full");
            assertTrue(b.coalescedMessages() >= 2, "coalesced messages: " + b.coalescedMessages());
            assertEquals(0, b.truncatedDatagrams());

            // Nothing is left pending: the next datagram is the next one sent.
            PacketBatch one = new PacketBatch(1);
            one.add(datagram(0, 99, b.localAddress()));
            assertEquals(1, a.send(one));
            receiveInOrder(b, new int[] {99}, batchSize, a.localAddress());
        }
    }

    @Test
    void aCoalescedSegmentLargerThanTheBufferIsTruncatedAndCounted() throws Exception {
        try (LinuxUdpTransport a = open(true, false); LinuxUdpTransport b = open(false, true)) {
            PacketBatch out = new PacketBatch(4);
            for (int i = 0; i < 4; i++) {
                out.add(datagram(i, 1400, b.localAddress()));
            }
            assertEquals(4, a.send(out));
            PacketBatch in = new PacketBatch(4);
            for (int i = 0; i < 4; i++) {
                in.add(new PacketBuffer(1024).span(HEADROOM, 0));
            }
            int got = 0;
            while (got < 4) {
                got += b.receive(in);
            }
            assertEquals(4, got);
            assertEquals(4, b.truncatedDatagrams());
            for (int i = 0; i < 4; i++) {
                assertEquals(1024 - HEADROOM, in.get(i).length());
                assertEquals((byte) (i * 7 + 5), in.get(i).data().get(HEADROOM + 5));
            }
        }
    }

    @Test
    void withGroOnOrdinaryDatagramsStillArriveOneByOne() throws Exception {
        try (LinuxUdpTransport a = open(false, false); LinuxUdpTransport b = open(false, true)) {
            int[] lengths = {100, 200, 1400, 1400, 1400, 7};
            PacketBatch out = new PacketBatch(lengths.length);
            for (int i = 0; i < lengths.length; i++) {
                out.add(datagram(i, lengths[i], b.localAddress()));
            }
            assertEquals(lengths.length, a.send(out));
            receiveInOrder(b, lengths, 4, a.localAddress());
            assertEquals(0, b.coalescedMessages());
        }
    }

    @Test
    void withOffloadSwitchedOffEveryDatagramStillArrives() throws Exception {
        try (LinuxUdpTransport a = open(false, false); LinuxUdpTransport b = open(false, false)) {
            assertFalse(a.segmentationOffload());
            assertFalse(b.receiveCoalescing());
            int[] lengths = new int[40];
            PacketBatch out = new PacketBatch(lengths.length);
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = i == 39 ? 10 : 1200;
                out.add(datagram(i, lengths[i], b.localAddress()));
            }
            assertEquals(lengths.length, a.send(out));
            receiveInOrder(b, lengths, 16, a.localAddress());
        }
    }

    @Test
    void aGsoMessageTheKernelRefusesIsSentSinglyAndGsoStaysOff() throws Exception {
        try (LinuxUdpTransport a = open(true, false); DatagramChannel b = plainReceiver()) {
            // Without UDP checksums the kernel refuses every GSO message with EINVAL.
            a.setOption(io.mlvpn.tun.linux.internal.SocketConstants.SOL_SOCKET, SO_NO_CHECK, "SO_NO_CHECK", 1);
            InetSocketAddress to = (InetSocketAddress) b.getLocalAddress();
            int[] lengths = {800, 800, 800, 5, 900, 900};
            PacketBatch out = new PacketBatch(lengths.length);
            for (int i = 0; i < lengths.length; i++) {
                out.add(datagram(i, lengths[i], to));
            }
            assertEquals(lengths.length, a.send(out));
            assertEquals(0, a.sendErrors());
            assertFalse(a.segmentationOffload(), "GSO stays off after a refusal");
            assertEquals(1, a.segmentationFallbacks());
            assertEquals(lengths.length, a.send(out));
            assertEquals(1, a.segmentationFallbacks(), "no second refusal: sent one datagram per message");
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < lengths.length; i++) {
                    expect(b, i, lengths[i]);
                }
            }
        }
    }

    @ParameterizedTest(name = "GRO {0}")
    @ValueSource(booleans = {false, true})
    void receiveBufferDropsCountWhatAFullBufferLost(boolean coalescing) throws Exception {
        // The smallest receive buffer the kernel allows (it raises 1 to its minimum): room for a few datagrams.
        try (LinuxUdpTransport b = LinuxUdpTransport.open(config(1), false, coalescing);
                DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            assertEquals(0, b.receiveBufferDrops());
            InetSocketAddress to = b.localAddress();
            int burst = 200;
            ByteBuffer payload = ByteBuffer.allocate(1000);
            for (int i = 0; i < burst; i++) {
                payload.clear();
                sender.send(payload, to);
            }
            // Loopback queued or dropped each datagram during send; one receive takes what was queued.
            PacketBatch in = emptyBatch(64);
            int received = b.receive(in);
            assertTrue(received >= 1 && received < burst, "received " + received + " of " + burst);
            // The kernel attaches its counter to datagrams queued after a drop: send one more.
            payload.clear();
            sender.send(payload, to);
            for (int i = 0; i < 64; i++) {
                in.get(i).span(HEADROOM, 0);
            }
            received += b.receive(in);
            long sent = burst + 1;
            assertTrue(b.receiveBufferDrops() > 0, "no drop seen");
            assertEquals(sent - received, b.receiveBufferDrops());
        }
    }

    @Test
    void noDropsReadZeroNotMinusOne() throws Exception {
        try (LinuxUdpTransport a = open(false, false); LinuxUdpTransport b = open(false, false)) {
            PacketBatch out = new PacketBatch(1);
            out.add(datagram(0, 100, b.localAddress()));
            assertEquals(1, a.send(out));
            receiveInOrder(b, new int[] {100}, 1, a.localAddress());
            assertEquals(0, b.receiveBufferDrops());
        }
    }

    @Test
    void steadyStateGsoAndGroAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes per thread");
        try (LinuxUdpTransport a = open(true, false); LinuxUdpTransport b = open(false, true)) {
            PacketBatch out = new PacketBatch(32);
            for (int i = 0; i < 32; i++) {
                out.add(datagram(i, 1400, b.localAddress()));
            }
            PacketBatch in = emptyBatch(32);
            long thread = Thread.currentThread().getId();
            exchange(a, b, out, in, 200); // warm-up: thread-local arrays, scratch buffers, first source
            long before = threads.getThreadAllocatedBytes(thread);
            int datagrams = exchange(a, b, out, in, 1_000);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertEquals(32_000, datagrams);
            assertTrue(b.coalescedMessages() > 0, "nothing was coalesced");
            assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over " + datagrams + " datagrams");
        }
    }

    /** Sends the batch {@code rounds} times, receiving all 32 back each time; returns datagrams received. */
    private static int exchange(LinuxUdpTransport a, LinuxUdpTransport b, PacketBatch out, PacketBatch in, int rounds)
            throws IOException {
        int total = 0;
        for (int r = 0; r < rounds; r++) {
            assertEquals(32, a.send(out));
            int got = 0;
            while (got < 32) {
                for (int i = 0; i < in.size(); i++) {
                    in.get(i).span(HEADROOM, 0);
                }
                got += b.receive(in);
            }
            total += got;
        }
        return total;
    }
}
