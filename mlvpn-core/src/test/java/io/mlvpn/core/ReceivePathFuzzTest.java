package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.crypto.Sealers;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.session.HandshakeKey;
import io.mlvpn.core.session.HandshakeMac;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.core.wire.Header;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fuzz targets: the receive path of a server with a live session (docs/fuzzing.md). A client and a
 * server tunnel, joined by a {@link MemoryWire}, complete a real handshake; the fuzzer's datagrams
 * then reach the server's link as if sent from the client's address, and the harness waits until
 * the receiver has handled each one.
 *
 * <p>{@link #sealedPackets} reads a header and a payload from the input and seals them with the
 * session's real key, so that the fuzzer reaches what follows authentication: the replay window,
 * link binding, receive reports, the duplicate filter and reorder buffer, partial-checksum
 * completion (type 7) and the device write. {@link #rawDatagrams} sends the input as it is, and
 * {@link #signedHandshakes} signs it with the handshake key first.
 *
 * <p>Every input: the receiver comes back for the next datagram within 5 s, every engine thread
 * is alive, and the buffer pool keeps at most half its buffers out (a buffer lost per input drains
 * it within a few hundred inputs). After the last input both tunnels close, every server thread
 * ends and every buffer is back in the pool.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReceivePathFuzzTest {
    private static final long HANDLED_MILLIS = 5_000;
    /** Sealed input layout: type, link id, sequence (4), word (4), stamp (2), echo (2), payload. */
    private static final int FIELDS = 14;
    private static Harness harness;

    /** Both tunnels, built before the first input and closed after the last. */
    private static final class Harness {
        final MemoryWire wire = new MemoryWire();
        final Tunnel server;
        final Tunnel client;
        final MemoryDevice serverDevice;
        final MemoryDevice clientDevice;
        final TunnelContext serverContext;
        final MemoryWire.Port serverPort;
        final InetSocketAddress clientAddress = new InetSocketAddress("127.0.0.1", 41_001);
        final List<Thread> serverThreads = new ArrayList<>();
        final byte[] packet;
        final byte[] drain = new byte[70_000];
        final HandshakeMac handshakeMac = HandshakeKey.derive(TunnelPair.key(7)).newMac();
        Session sealedFor;
        PacketSealer sealer;

        Harness() throws Exception {
            InetSocketAddress serverAddress = new InetSocketAddress("127.0.0.1", 42_001);
            TunnelConfig sc = base(Mode.SERVER).interfaceName("fzs0")
                    .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").bindPort(serverAddress.getPort()).build())
                    .build();
            TunnelConfig cc = base(Mode.CLIENT).interfaceName("fzc0")
                    .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").bindPort(clientAddress.getPort())
                            .remoteHost("127.0.0.1").remotePort(serverAddress.getPort()).build())
                    .build();
            int mtu = TunnelBuilder.tunnelMtu(sc);
            serverDevice = new MemoryDevice("fzs0", DeviceType.TUN, mtu + 200, 4096);
            clientDevice = new MemoryDevice("fzc0", DeviceType.TUN, mtu + 200, 4096);
            server = TunnelBuilder.of(sc).device(serverDevice).transportProviders(List.of(wire)).build();
            client = TunnelBuilder.of(cc).device(clientDevice).transportProviders(List.of(wire)).build();
            server.start();
            client.start();
            TunnelPair.await(() -> TunnelPair.allUp(server) && TunnelPair.allUp(client), 10_000, "session up");
            serverContext = contextOf(server);
            serverPort = wire.port(serverAddress);
            packet = new byte[serverContext.bufferCapacity + Header.OVERHEAD];
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey().getName().startsWith("mlvpn-fzs0-")) {
                    serverThreads.add(e.getKey());
                }
            }
        }

        /** Closes both ends and waits for the server's threads (the reader ends when its device closes). */
        void close() throws InterruptedException {
            client.close();
            server.close();
            serverDevice.close();
            clientDevice.close();
            for (Thread t : serverThreads) {
                t.join(5_000);
                assertFalse(t.isAlive(), () -> t.getName() + " still runs after close");
            }
        }

        private static TunnelConfig.Builder base(Mode mode) {
            // Long timeouts and the longest rekey interval: sessions change rarely while the fuzzer runs.
            return TunnelPair.base(mode, TunnelPair.key(7)).timeout(Duration.ofHours(1))
                    .keepaliveInterval(Duration.ofSeconds(1)).rekeyInterval(Duration.ofMinutes(2))
                    .reorderBufferPackets(64);
        }

        /** The engine's shared state, which the public API does not expose. */
        private static TunnelContext contextOf(Tunnel t) throws ReflectiveOperationException {
            Field f = BondedTunnel.class.getDeclaredField("ctx");
            f.setAccessible(true);
            return (TunnelContext) f.get(t);
        }

        /** Sends one datagram from the client's address and checks the engine afterwards. */
        void deliver(byte[] datagram) throws InterruptedException {
            // Once a thread is dead every input fails: say so at once rather than after a timeout.
            checkThreadsAlive();
            long ticket = serverPort.inject(datagram, clientAddress);
            if (!serverPort.awaitHandled(ticket, HANDLED_MILLIS)) {
                checkThreadsAlive();
                throw new AssertionError("the receiver did not come back within " + HANDLED_MILLIS + " ms; pool: "
                        + serverContext.pool);
            }
            while (serverDevice.poll(drain) >= 0) {
                // Whatever the engine wrote into the device, so its queue never fills.
            }
            checkThreadsAlive();
            int out = serverContext.pool.outstanding();
            assertTrue(out <= serverContext.pool.maxBuffers() / 2, () -> out + " buffers out: "
                    + serverContext.pool);
        }

        private void checkThreadsAlive() {
            for (Thread t : serverThreads) {
                assertTrue(t.isAlive(), () -> "engine thread " + t.getName() + " died");
            }
        }

        /** Seals the fuzzer's header fields and payload under the current (or last) session. */
        byte[] seal(byte[] input) {
            Session s = serverContext.sessions.current();
            if (s == null) {
                s = sealedFor;
            }
            if (s != sealedFor) {
                sealer = newSealer(s);
                sealedFor = s;
            }
            int type = input[0] & 0x0F;
            int linkId = input[1] & 0xFF;
            long seq = Header.getInt(input, 2) & 0xFFFF_FFFFL;
            long word = Header.getInt(input, 6) & 0xFFFF_FFFFL;
            int stamp = Header.getShort(input, 10);
            int echo = Header.getShort(input, 12);
            int payload = Math.min(input.length - FIELDS, packet.length - Header.OVERHEAD);
            Header.write(packet, 0, type, linkId, s.id, seq, stamp, echo, word);
            System.arraycopy(input, FIELDS, packet, Header.LENGTH, payload);
            int n;
            try {
                n = sealer.seal(linkId, seq, packet, 0, Header.LENGTH, payload);
            } catch (IllegalStateException e) {
                // The JDK refuses to encrypt twice in a row with one nonce; a replay is what the
                // fuzzer may well want to send, so seal it with a fresh cipher.
                sealer = newSealer(s);
                n = sealer.seal(linkId, seq, packet, 0, Header.LENGTH, payload);
            }
            return Arrays.copyOf(packet, n);
        }

        private static PacketSealer newSealer(Session s) {
            byte[] key = s.receiveKey();
            PacketSealer p = Sealers.create(s.cipher, key);
            Arrays.fill(key, (byte) 0);
            return p;
        }
    }

    /**
     * Started before the class's first test, so that EngineLeakCheck counts its threads as shared,
     * not as the first test's own.
     */
    @BeforeAll
    static synchronized void startHarness() throws Exception {
        harness = new Harness();
    }

    private static synchronized Harness harness() {
        return harness;
    }

    @AfterAll
    static synchronized void closeHarness() throws InterruptedException {
        if (harness != null) {
            harness.close();
            harness.serverContext.pool.checkNoLeaks();
            harness = null;
        }
    }

    /**
     * The harness is what it claims: a packet it seals is authenticated by the server (so the
     * fuzzer's packets get past {@code open}) and its payload reaches the server's device.
     */
    @Test
    @Order(1) // before the seeds, whose data sequences would make this one a duplicate
    void aPacketTheHarnessSealsReachesTheServersDevice() throws Exception {
        Harness h = harness();
        long before = h.server.stats().links().get(0).rxPackets();
        byte[] inner = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 8, 0, 2, 10, 8, 0, 1,
            0x0F, (byte) 0xA0, 0x13, (byte) 0x88, 0, 8, 0, 0};
        byte[] input = new byte[FIELDS + inner.length];
        input[0] = 4; // DATA
        // A link sequence beyond any the seeds use, and the next data sequence.
        Header.putInt(input, 2, 0xFFFF_FF00);
        Header.putInt(input, 6, 1);
        System.arraycopy(inner, 0, input, FIELDS, inner.length);
        long ticket = h.serverPort.inject(h.seal(input), h.clientAddress);
        assertTrue(h.serverPort.awaitHandled(ticket, HANDLED_MILLIS), "handled");
        // At least ours: the client's keepalives and probes are counted too.
        assertTrue(h.server.stats().links().get(0).rxPackets() >= before + 1, "authenticated");
        byte[] got = new byte[2048];
        int n = h.serverDevice.poll(got, 5, TimeUnit.SECONDS);
        assertArrayEquals(inner, Arrays.copyOf(got, Math.max(n, 0)), "the payload written to the device");
    }

    @FuzzTest
    void sealedPackets(byte[] input) throws Exception {
        if (input.length < FIELDS) {
            return;
        }
        Harness h = harness();
        h.deliver(h.seal(input));
    }

    @FuzzTest
    void rawDatagrams(byte[] input) throws Exception {
        harness().deliver(input.clone());
    }

    /**
     * Handshake datagrams signed with the tunnel's real handshake key (the tag appended), so that
     * the fuzzer gets past the MAC into the server's handshake handling on its receiver thread.
     */
    @FuzzTest
    void signedHandshakes(byte[] input) throws Exception {
        Harness h = harness();
        byte[] d = Arrays.copyOf(input, input.length + Header.TAG_LENGTH);
        h.handshakeMac.sign(d, 0, input.length);
        h.deliver(d);
    }
}
