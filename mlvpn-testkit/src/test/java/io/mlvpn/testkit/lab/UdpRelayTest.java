package io.mlvpn.testkit.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay over loopback between a test "client" socket and a test "server" socket. Timing
 * bounds are generous (the machine is shared) and one-sided where physics allows: a datagram can
 * never leave before its delay.
 */
class UdpRelayTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private DatagramSocket client;
    private DatagramSocket server;
    private UdpRelay relay;

    private void start() throws Exception {
        client = socket();
        server = socket();
        relay = new UdpRelay(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        resources.add(relay);
    }

    private DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setReceiveBufferSize(4 << 20);
        s.setSoTimeout(5_000);
        resources.add(s);
        return s;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private void toRelay(byte[] payload) throws Exception {
        client.send(new DatagramPacket(payload, payload.length, relay.address()));
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.receive(p);
        return p;
    }

    private static String text(DatagramPacket p) {
        return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends "hello" up and "welcome" down, so the relay knows the client; returns the relay's server-facing address. */
    private SocketAddress handshake() throws Exception {
        toRelay(bytes("hello"));
        DatagramPacket up = receive(server);
        assertEquals("hello", text(up));
        server.send(new DatagramPacket(bytes("welcome"), 7, up.getSocketAddress()));
        DatagramPacket down = receive(client);
        assertEquals("welcome", text(down));
        assertEquals(relay.address(), down.getSocketAddress());
        return up.getSocketAddress();
    }

    @Test
    void forwardsBothWaysUnimpaired() throws Exception {
        start();
        handshake();
        awaitCounters(Direction.CLIENT_TO_SERVER, new RelayCounters(1, 0, 0, 0, 0));
        awaitCounters(Direction.SERVER_TO_CLIENT, new RelayCounters(1, 0, 0, 0, 0));
        TestWait.until(() -> relay.forwarded() == 2, "two forwarded");
        assertEquals(0, relay.dropped());
        assertArrayEquals(bytes("hello"), relay.lastFromClient());
        assertEquals(Impairment.NONE, relay.impairment(Direction.CLIENT_TO_SERVER));
    }

    @Test
    void rateLimitDeliversAboutTheConfiguredRate() throws Exception {
        start();
        long rate = 20_000_000;
        relay.impair(Impairment.builder().rateBitsPerSecond(rate).queueBytes(256 * 1024).build(), Impairment.NONE);
        Counter received = Counter.start(server);
        // Offer 1.5 times the rate for one second, paced, so the queue stays full and overflows.
        byte[] payload = new byte[1250];
        long offeredBitsPerSecond = rate * 3 / 2;
        long start = System.nanoTime();
        int sent = 0;
        while (System.nanoTime() - start < 1_000_000_000L) {
            long due = start + sent * payload.length * 8L * 1_000_000_000L / offeredBitsPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            toRelay(payload);
            sent++;
        }
        int offered = sent;
        TestWait.until(() -> judged(Direction.CLIENT_TO_SERVER) == offered, "every datagram judged");
        long forwarded = relay.counters(Direction.CLIENT_TO_SERVER).forwarded();
        TestWait.until(() -> received.count.get() == forwarded, "every forwarded datagram received");
        received.stop();
        double seconds = (received.lastNanos - received.firstNanos) / 1e9;
        double bitsPerSecond = (received.bytes.get() - payload.length) * 8.0 / seconds;
        assertTrue(bitsPerSecond > rate * 0.85 && bitsPerSecond < rate * 1.15,
                "delivered " + Math.round(bitsPerSecond) + " bit/s for " + rate);
        assertTrue(relay.counters(Direction.CLIENT_TO_SERVER).droppedByQueue() > 0, "overflow counted");
    }

    @Test
    void delayAddsToTheRoundTripWithoutSpinning() throws Exception {
        start();
        Echo echo = Echo.start(server);
        toRelay(bytes("hello"));
        assertEquals("hello", text(receive(client)));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Thread> releasers = relayThreads("-release");
        assertEquals(2, releasers.size());
        long cpuBefore = cpuNanos(threads, releasers);
        long wallBefore = System.nanoTime();

        relay.impair(Impairment.builder().delay(Duration.ofMillis(15)).build());
        long[] rttNanos = new long[21];
        for (int i = 0; i < rttNanos.length; i++) {
            long t = System.nanoTime();
            toRelay(bytes("ping" + i));
            assertEquals("ping" + i, text(receive(client)));
            rttNanos[i] = System.nanoTime() - t;
        }
        long wall = System.nanoTime() - wallBefore;
        long cpu = cpuNanos(threads, releasers) - cpuBefore;
        echo.stop();
        Arrays.sort(rttNanos);
        assertTrue(rttNanos[0] >= 30_000_000L, "round trip below twice the delay: " + rttNanos[0]);
        long median = rttNanos[rttNanos.length / 2];
        assertTrue(median < 38_000_000L, "median round trip " + median + " ns for 30 ms of delay");
        if (cpu >= 0) {
            assertTrue(cpu < wall / 4, "release threads used " + cpu + " ns of CPU in " + wall + " ns");
        }
    }

    @Test
    void jitterReordersButNeverDeliversEarly() throws Exception {
        start();
        relay.impair(Impairment.builder().delay(Duration.ofMillis(10)).jitter(Duration.ofMillis(5)).build(),
                Impairment.NONE);
        int n = 300;
        for (int i = 0; i < n; i++) {
            toRelay(ByteBuffer.allocate(12).putInt(i).putLong(System.nanoTime()).array());
        }
        int highest = -1;
        int reordered = 0;
        for (int i = 0; i < n; i++) {
            DatagramPacket p = receive(server);
            long at = System.nanoTime();
            ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            int seq = b.getInt();
            long oneWayNanos = at - b.getLong();
            assertTrue(oneWayNanos >= 5_000_000L, "datagram " + seq + " took only " + oneWayNanos + " ns");
            if (seq < highest) {
                reordered++;
            }
            highest = Math.max(highest, seq);
        }
        assertTrue(reordered > 0, "no datagram overtaken");
        TestWait.until(() -> relay.counters(Direction.CLIENT_TO_SERVER).forwarded() == n, "all counted");
    }

    @Test
    void lossDropsAboutTheConfiguredFractionInOneDirectionOnly() throws Exception {
        start();
        SocketAddress relayServerSide = handshake();
        relay.impair(Impairment.builder().lossProbability(0.1).build(), Impairment.NONE);
        Counter received = Counter.start(server);
        byte[] payload = new byte[100];
        int n = 10_000;
        for (int sent = 0; sent < n; ) {
            // Batches small enough for any socket buffer; the relay has judged one before the next goes.
            for (int i = 0; i < 100; i++, sent++) {
                toRelay(payload);
            }
            int judged = sent + 1;
            TestWait.until(() -> judged(Direction.CLIENT_TO_SERVER) == judged, "batch judged");
        }
        RelayCounters up = relay.counters(Direction.CLIENT_TO_SERVER);
        TestWait.until(() -> received.count.get() == up.forwarded() - 1, "forwarded datagrams received");
        received.stop();
        double lost = up.droppedByLoss() / (double) n;
        assertTrue(lost > 0.08 && lost < 0.12, "lost " + up.droppedByLoss() + " of " + n);
        assertEquals(0, up.droppedByCut() + up.droppedByQueue() + up.droppedOther());

        for (int i = 0; i < 50; i++) {
            server.send(new DatagramPacket(payload, payload.length, relayServerSide));
            receive(client);
        }
        awaitCounters(Direction.SERVER_TO_CLIENT, new RelayCounters(51, 0, 0, 0, 0));
    }

    @Test
    void queueOverflowIsCounted() throws Exception {
        start();
        // 1000 bytes take 8 ms at 1 Mbit/s; a burst of 50 finds room for about 10.
        relay.impair(Impairment.builder().rateBitsPerSecond(1_000_000).queueBytes(10_000).build(), Impairment.NONE);
        for (int i = 0; i < 50; i++) {
            toRelay(new byte[1000]);
        }
        TestWait.until(() -> judged(Direction.CLIENT_TO_SERVER) == 50, "every datagram judged");
        RelayCounters up = relay.counters(Direction.CLIENT_TO_SERVER);
        assertTrue(up.forwarded() >= 10, "forwarded " + up.forwarded());
        assertTrue(up.droppedByQueue() >= 25, "dropped by the queue " + up.droppedByQueue());
        for (long i = 0; i < up.forwarded(); i++) {
            assertEquals(1000, receive(server).getLength());
        }
    }

    @Test
    void cutDropsSilentlyBothWays() throws Exception {
        start();
        SocketAddress relayServerSide = handshake();
        relay.impair(Impairment.builder().delay(Duration.ofMillis(1)).build());
        relay.cut(true);
        assertTrue(relay.isCut(Direction.CLIENT_TO_SERVER) && relay.isCut(Direction.SERVER_TO_CLIENT));
        for (int i = 0; i < 5; i++) {
            toRelay(bytes("lost"));
            server.send(new DatagramPacket(bytes("lost"), 4, relayServerSide));
        }
        TestWait.until(() -> relay.dropped() == 10, "ten datagrams cut");
        relay.cut(false);
        // The next datagram each side sees is the one sent after the cut ended: the cut ones never came.
        toRelay(bytes("after"));
        assertEquals("after", text(receive(server)));
        server.send(new DatagramPacket(bytes("back"), 4, relayServerSide));
        assertEquals("back", text(receive(client)));
        awaitCounters(Direction.CLIENT_TO_SERVER, new RelayCounters(2, 5, 0, 0, 0));
        awaitCounters(Direction.SERVER_TO_CLIENT, new RelayCounters(2, 5, 0, 0, 0));
    }

    @Test
    void oneDirectionCanBeCutAlone() throws Exception {
        start();
        SocketAddress relayServerSide = handshake();
        relay.cut(Direction.CLIENT_TO_SERVER, true);
        assertFalse(relay.isCut(Direction.SERVER_TO_CLIENT));
        toRelay(bytes("lost"));
        server.send(new DatagramPacket(bytes("down"), 4, relayServerSide));
        assertEquals("down", text(receive(client)));
        TestWait.until(() -> relay.dropped() == 1, "one datagram cut");
        relay.cut(Direction.CLIENT_TO_SERVER, false);
        toRelay(bytes("up"));
        assertEquals("up", text(receive(server)));
    }

    @Test
    void rebindMovesTheServerFacingPortAndKeepsForwarding() throws Exception {
        start();
        SocketAddress before = handshake();
        relay.impair(Impairment.builder().delay(Duration.ofMillis(1)).build());
        relay.rebind();
        toRelay(bytes("moved"));
        DatagramPacket p = receive(server);
        assertEquals("moved", text(p));
        assertNotEquals(before, p.getSocketAddress());
        server.send(new DatagramPacket(bytes("reply"), 5, p.getSocketAddress()));
        assertEquals("reply", text(receive(client)));
        relay.rebind();
        toRelay(bytes("again"));
        assertEquals("again", text(receive(server)));
    }

    @Test
    void closeStopsEveryThreadAndIsIdempotent() throws Exception {
        start();
        relay.impair(Impairment.builder().delay(Duration.ofMillis(1)).build());
        handshake();
        List<Thread> threads = relayThreads("");
        assertEquals(4, threads.size());
        relay.close();
        relay.close();
        for (Thread t : threads) {
            assertFalse(t.isAlive(), t.getName());
        }
        assertThrows(ClosedChannelException.class, relay::rebind);
    }

    @Test
    void constructorRejectsANullServer() {
        assertThrows(NullPointerException.class, () -> new UdpRelay(null));
    }

    @Test
    void impairRejectsNull() throws Exception {
        start();
        assertThrows(NullPointerException.class, () -> relay.impair(null));
        assertThrows(NullPointerException.class, () -> relay.impair(Impairment.NONE, null));
        assertEquals(Impairment.NONE, relay.impairment(Direction.CLIENT_TO_SERVER));
    }

    @Test
    void impairmentsAreSetPerDirection() throws Exception {
        start();
        Impairment slow = Impairment.builder().rateBitsPerSecond(1_000_000).build();
        Impairment late = Impairment.builder().delay(Duration.ofMillis(5)).build();
        relay.impair(slow, late);
        assertEquals(slow, relay.impairment(Direction.CLIENT_TO_SERVER));
        assertEquals(late, relay.impairment(Direction.SERVER_TO_CLIENT));
        relay.impair(late);
        assertEquals(late, relay.impairment(Direction.CLIENT_TO_SERVER));
    }

    /** Waits for the counters: a relay thread counts a datagram just after sending it. */
    private void awaitCounters(Direction d, RelayCounters expected) throws InterruptedException {
        try {
            TestWait.until(() -> relay.counters(d).equals(expected), "counters " + expected);
        } catch (AssertionError e) {
            assertEquals(expected, relay.counters(d));
        }
    }

    private long judged(Direction d) {
        RelayCounters c = relay.counters(d);
        return c.forwarded() + c.droppedByLoss() + c.droppedByQueue();
    }

    private List<Thread> relayThreads(String suffix) throws Exception {
        String prefix = "relay-" + relay.port() + "-";
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.getName().endsWith(suffix)) {
                found.add(t);
            }
        }
        return found;
    }

    /** Summed CPU time of the threads, or -1 when the JVM does not measure it. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() arrives in Java 19.
    private static long cpuNanos(ThreadMXBean mx, List<Thread> threads) {
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            return -1;
        }
        long sum = 0;
        for (Thread t : threads) {
            sum += mx.getThreadCpuTime(t.getId());
        }
        return sum;
    }

    /** A thread counting what a socket receives, with the first and last arrival times. */
    private static final class Counter {
        final AtomicLong count = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile long firstNanos;
        volatile long lastNanos;
        private volatile boolean running = true;
        private final Thread thread;

        private Counter(DatagramSocket socket) {
            this.thread = new Thread(() -> run(socket), "test-counter");
        }

        static Counter start(DatagramSocket socket) throws Exception {
            socket.setSoTimeout(50);
            Counter c = new Counter(socket);
            c.thread.setDaemon(true);
            c.thread.start();
            return c;
        }

        private void run(DatagramSocket socket) {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            while (running) {
                try {
                    socket.receive(p);
                    long now = System.nanoTime();
                    if (count.get() == 0) {
                        firstNanos = now;
                    }
                    lastNanos = now;
                    bytes.addAndGet(p.getLength());
                    count.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // Look at the running flag again.
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    /** Sends every datagram a socket receives back where it came from. */
    private static final class Echo {
        private volatile boolean running = true;
        private final Thread thread;

        private Echo(DatagramSocket socket) {
            this.thread = new Thread(() -> run(socket), "test-echo");
        }

        static Echo start(DatagramSocket socket) throws Exception {
            socket.setSoTimeout(50);
            Echo e = new Echo(socket);
            e.thread.setDaemon(true);
            e.thread.start();
            return e;
        }

        private void run(DatagramSocket socket) {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            while (running) {
                try {
                    p.setLength(65536);
                    socket.receive(p);
                    socket.send(p);
                } catch (SocketTimeoutException e) {
                    // Look at the running flag again.
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
