package io.mlvpn.api.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link DatagramTransport} contract, run by every transport provider through a subclass that
 * supplies the provider. Traffic stays on the loopback interface. Each test runs in its own
 * thread with a time limit, so a lost datagram fails the test instead of hanging the build.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class DatagramTransportContract {
    /** Headroom the suite leaves in front of every datagram. */
    protected static final int HEADROOM = 48;
    /** Buffer capacity for the suite's datagrams. */
    protected static final int CAPACITY = 2048;
    /** How long a test waits for a thread, in milliseconds. */
    protected static final long WAIT_MILLIS = 2_000;

    private final List<DatagramTransport> opened = new ArrayList<>();

    /** The provider under test. */
    protected abstract TransportProvider provider();

    @AfterEach
    void closeTransports() throws IOException {
        for (DatagramTransport transport : opened) {
            transport.close();
        }
    }

    /** Opens a transport on {@code host}, port 0; the suite closes it. */
    protected final DatagramTransport open(String host) throws IOException {
        TransportConfig config = TransportConfig.builder(new InetSocketAddress(InetAddress.getByName(host), 0)).build();
        TransportProvider provider = provider();
        assertTrue(provider.isAvailable(), () -> provider.name() + " unavailable: " + provider.unavailabilityCause());
        assertTrue(provider.supports(config), provider.name() + " does not support " + config);
        DatagramTransport transport = provider.open(config);
        assertNotNull(transport, "open returned null");
        opened.add(transport);
        return transport;
    }

    @Test
    void localAddressHasTheChosenPort() throws IOException {
        DatagramTransport t = open("127.0.0.1");
        assertEquals(InetAddress.getByName("127.0.0.1"), t.localAddress().getAddress());
        assertNotEquals(0, t.localAddress().getPort());
    }

    @Test
    void batchCrossesIpv4Loopback() throws IOException {
        exchangeBatch("127.0.0.1");
    }

    @Test
    void batchCrossesIpv6Loopback() throws IOException {
        Assumptions.assumeTrue(ipv6LoopbackWorks(), "IPv6 loopback [::1] unavailable on this host");
        exchangeBatch("::1");
    }

    private void exchangeBatch(String host) throws IOException {
        DatagramTransport sender = open(host);
        DatagramTransport receiver = open(host);
        byte[][] payloads = {payload(100), payload(200), payload(300)};
        PacketBatch out = new PacketBatch(payloads.length);
        for (byte[] p : payloads) {
            PacketBuffer buffer = new PacketBuffer(CAPACITY);
            buffer.data().put(HEADROOM, p);
            out.add(buffer.span(HEADROOM, p.length).address(receiver.localAddress()));
        }
        assertEquals(payloads.length, sender.send(out));
        assertEquals(0, sender.sendErrors());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(HEADROOM, out.get(i).offset(), "send changed the span of buffer " + i);
            assertEquals(payloads[i].length, out.get(i).length(), "send changed the span of buffer " + i);
        }

        List<byte[]> received = receive(receiver, payloads.length, sender.localAddress());
        // UDP does not promise order: match by length, which differs for each payload.
        received.sort((a, b) -> Integer.compare(a.length, b.length));
        for (int i = 0; i < payloads.length; i++) {
            assertArrayEquals(payloads[i], received.get(i), "datagram " + i);
        }
    }

    @Test
    void datagramLargerThanSpaceIsTruncated() throws IOException {
        DatagramTransport sender = open("127.0.0.1");
        DatagramTransport receiver = open("127.0.0.1");
        byte[] big = payload(1000);
        PacketBatch out = new PacketBatch(1);
        PacketBuffer buffer = new PacketBuffer(CAPACITY);
        buffer.data().put(HEADROOM, big);
        out.add(buffer.span(HEADROOM, big.length).address(receiver.localAddress()));
        assertEquals(1, sender.send(out));

        PacketBatch in = new PacketBatch(1);
        PacketBuffer small = new PacketBuffer(128);
        in.add(small.span(HEADROOM, 0));
        assertEquals(1, receiver.receive(in));
        assertEquals(HEADROOM, small.offset());
        assertEquals(128 - HEADROOM, small.length());
        byte[] expected = new byte[128 - HEADROOM];
        System.arraycopy(big, 0, expected, 0, expected.length);
        byte[] got = new byte[small.length()];
        small.data().get(small.offset(), got);
        assertArrayEquals(expected, got);
    }

    @Test
    void closeWakesBlockedReceive() throws Exception {
        DatagramTransport t = open("127.0.0.1");
        PacketBatch batch = batchOf(2);
        AtomicReference<Object> result = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread receiver = new Thread(() -> {
            started.countDown();
            try {
                result.set(t.receive(batch));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "contract-transport-receiver");
        receiver.setDaemon(true);
        receiver.start();
        assertTrue(started.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        awaitBlocked(receiver);
        t.close();
        receiver.join(WAIT_MILLIS);
        assertFalse(receiver.isAlive(), "receive still blocked " + WAIT_MILLIS + " ms after close");
        assertEquals(-1, result.get(), "receive result after close");
    }

    @Test
    void receiveAfterCloseReturnsMinusOne() throws IOException {
        DatagramTransport t = open("127.0.0.1");
        t.close();
        assertEquals(-1, t.receive(batchOf(2)));
        assertEquals(-1, t.receive(batchOf(2)));
    }

    @Test
    void sendAfterCloseThrowsClosedChannelException() throws IOException {
        DatagramTransport sender = open("127.0.0.1");
        DatagramTransport receiver = open("127.0.0.1");
        sender.close();
        PacketBatch out = new PacketBatch(1);
        byte[] p = payload(50);
        PacketBuffer buffer = new PacketBuffer(CAPACITY);
        buffer.data().put(HEADROOM, p);
        out.add(buffer.span(HEADROOM, p.length).address(receiver.localAddress()));
        assertThrows(ClosedChannelException.class, () -> sender.send(out));
    }

    @Test
    void closeIsIdempotent() throws IOException {
        DatagramTransport t = open("127.0.0.1");
        t.close();
        t.close();
        assertEquals(-1, t.receive(batchOf(1)));
    }

    /**
     * Receives until {@code wanted} datagrams came, checking on every call that the count is in
     * range and that each datagram starts at the offset and comes from {@code from}.
     */
    private static List<byte[]> receive(DatagramTransport t, int wanted, InetSocketAddress from)
            throws IOException {
        PacketBatch batch = batchOf(4);
        List<byte[]> datagrams = new ArrayList<>();
        while (datagrams.size() < wanted) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).clear().span(HEADROOM, 0);
            }
            int n = t.receive(batch);
            assertTrue(n >= 1 && n <= batch.size(), "receive returned " + n + " for " + batch.size() + " buffers");
            for (int i = 0; i < n; i++) {
                PacketBuffer buffer = batch.get(i);
                assertEquals(HEADROOM, buffer.offset(), "offset of datagram " + i);
                assertEquals(from, buffer.address(), "source of datagram " + i);
                byte[] datagram = new byte[buffer.length()];
                buffer.data().get(buffer.offset(), datagram);
                datagrams.add(datagram);
            }
        }
        assertEquals(wanted, datagrams.size(), "more datagrams than sent");
        return datagrams;
    }

    private static PacketBatch batchOf(int buffers) {
        PacketBatch batch = new PacketBatch(buffers);
        for (int i = 0; i < buffers; i++) {
            batch.add(new PacketBuffer(CAPACITY).span(HEADROOM, 0));
        }
        return batch;
    }

    /** Bytes that depend on their index and the length, so payloads of different lengths differ. */
    protected static byte[] payload(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 31 + length);
        }
        return p;
    }

    private static boolean ipv6LoopbackWorks() {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return probe.getLocalPort() != 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits (at most 200 ms) until the thread is parked, so that close really interrupts a
     * blocked receive. A thread blocked in a system call looks RUNNABLE; for it the wait ends at
     * the deadline, which only makes the test start closing later.
     */
    private static void awaitBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.TERMINATED) {
                return;
            }
            // join with a timeout rather than sleep: it returns early if the thread ends.
            thread.join(5);
        }
    }
}
