package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.scheduler.Schedulers;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.core.transport.DatagramChannelTransportProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * No input ends an engine thread: a device, transport, scheduler or listener that throws costs a
 * packet (or a batch) and a count, and the tunnel carries on; an {@link Error} that still ends a
 * thread fails the whole tunnel loudly (state FAILED, stopped), never leaves it half alive.
 */
class EngineFaultTest {

    /** Throws what it is told, a given number of times, where it is told; any thread. */
    static final class Faults {
        final AtomicInteger remaining = new AtomicInteger();
        volatile Supplier<Throwable> what = () -> new IllegalStateException("injected fault");

        void arm(int times, Supplier<Throwable> throwable) {
            what = throwable;
            remaining.set(times);
        }

        void maybeThrow() {
            if (remaining.get() > 0 && remaining.getAndDecrement() > 0) {
                Throwable t = what.get();
                if (t instanceof RuntimeException) {
                    throw (RuntimeException) t;
                }
                throw (Error) t;
            }
        }
    }

    /** A memory device whose reads and writes fail when armed. */
    static final class FaultyDevice implements PacketDevice {
        final MemoryDevice inner;
        final Faults reads = new Faults();
        final Faults writes = new Faults();

        FaultyDevice(MemoryDevice inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public DeviceType type() {
            return inner.type();
        }

        @Override
        public int mtu() {
            return inner.mtu();
        }

        @Override
        public int read(PacketBatch batch) throws IOException {
            reads.maybeThrow();
            return inner.read(batch);
        }

        @Override
        public void write(PacketBatch batch) throws IOException {
            writes.maybeThrow();
            inner.write(batch);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** The portable transport, whose receives fail when armed. */
    static final class FaultyTransports extends io.mlvpn.core.testing.AvailableTransportProvider {
        final DatagramChannelTransportProvider real = new DatagramChannelTransportProvider();
        final Faults receives = new Faults();

        FaultyTransports() {
            super("faulty", 1000);
        }

        @Override
        public boolean supports(TransportConfig config) {
            return real.supports(config);
        }

        @Override
        public DatagramTransport open(TransportConfig config) throws IOException {
            DatagramTransport t = real.open(config);
            return new DatagramTransport() {
                @Override
                public InetSocketAddress localAddress() {
                    return t.localAddress();
                }

                @Override
                public int receive(PacketBatch batch) throws IOException {
                    receives.maybeThrow();
                    return t.receive(batch);
                }

                @Override
                public int send(PacketBatch batch) throws IOException {
                    return t.send(batch);
                }

                @Override
                public long sendErrors() {
                    return t.sendErrors();
                }

                @Override
                public void close() throws IOException {
                    t.close();
                }
            };
        }
    }

    /** The default scheduler, throwing when armed. */
    static final class FaultyScheduler implements Scheduler {
        final Scheduler real = Schedulers.create("adaptive", 2);
        final Faults selects = new Faults();

        @Override
        public String name() {
            return "faulty";
        }

        @Override
        public void linksChanged(LinkSet links) {
            real.linksChanged(links);
        }

        @Override
        public int select(LinkSet links, int packetBytes, int[] targets) {
            selects.maybeThrow();
            return real.select(links, packetBytes, targets);
        }
    }

    /** Records tunnel states as listeners see them. */
    static final class States implements TunnelListener {
        final List<TunnelState> seen = new CopyOnWriteArrayList<>();

        @Override
        public void tunnelStateChanged(TunnelState from, TunnelState to) {
            seen.add(to);
        }
    }

    /** A client and a server joined directly over loopback, one link, each end's parts faulty. */
    static final class Pair implements AutoCloseable {
        final FaultyDevice serverDevice = new FaultyDevice(new MemoryDevice("srv0", DeviceType.TUN, 1600, 4096));
        final FaultyDevice clientDevice = new FaultyDevice(new MemoryDevice("cli0", DeviceType.TUN, 1600, 4096));
        final FaultyTransports serverTransports = new FaultyTransports();
        final FaultyScheduler clientScheduler = new FaultyScheduler();
        final States clientStates = new States();
        final Tunnel server;
        final Tunnel client;

        Pair(TunnelListener clientListener) throws Exception {
            int port = TunnelPair.freePort();
            TunnelConfig sc = TunnelPair.base(Mode.SERVER, TunnelPair.key(7)).interfaceName("srv0")
                    .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").bindPort(port).build()).build();
            TunnelConfig cc = TunnelPair.base(Mode.CLIENT, TunnelPair.key(7)).interfaceName("cli0")
                    .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").remoteHost("127.0.0.1")
                            .remotePort(port).build()).build();
            server = TunnelBuilder.of(sc).device(serverDevice).transportProviders(List.of(serverTransports)).build();
            client = TunnelBuilder.of(cc).device(clientDevice).scheduler(() -> clientScheduler).build();
            client.addListener(clientStates);
            client.addListener(clientListener);
            server.start();
            client.start();
        }

        void awaitUp() throws InterruptedException {
            await(() -> TunnelPair.allUp(client) && TunnelPair.allUp(server), 10_000, "the link up");
        }

        /**
         * Sends {@code count} packets each way and asserts that at least 90 % of them arrive in each
         * direction (a starved test machine may lose a few; a dead thread loses a whole direction).
         */
        void assertTrafficFlows(long first, int count) throws Exception {
            int mtu = client.mtu();
            TrafficCheck up = new TrafficCheck(clientDevice.inner, serverDevice.inner, 20, mtu);
            up.run(first, count, 32, 2_000, null);
            TrafficCheck down = new TrafficCheck(serverDevice.inner, clientDevice.inner, 20, mtu);
            down.run(first, count, 32, 2_000, null);
            assertTrue(up.distinct() >= count * 9 / 10 && down.distinct() >= count * 9 / 10,
                    "client to server " + up.distinct() + ", server to client " + down.distinct() + " of " + count);
        }

        /** Sends a few packets each way, whatever arrives: enough to make armed faults happen. */
        void someTraffic(long first, int count) throws Exception {
            int mtu = client.mtu();
            new TrafficCheck(clientDevice.inner, serverDevice.inner, 20, mtu).run(first, count, 32, 500, null);
            new TrafficCheck(serverDevice.inner, clientDevice.inner, 20, mtu).run(first, count, 32, 500, null);
        }

        long internalErrors(Tunnel t) {
            return t.stats().internalErrors();
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            clientDevice.close();
            serverDevice.close();
            try {
                await(() -> ((BondedTunnel) client).pool().outstanding() == 0
                        && ((BondedTunnel) server).pool().outstanding() == 0, 5_000, "every buffer back");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aDeviceReadThatThrowsIsCountedAndTheReaderGoesOn() throws Exception {
        try (Pair p = new Pair(TunnelListener.NONE)) {
            p.awaitUp();
            p.clientDevice.reads.arm(3, () -> new IllegalStateException("injected read fault"));
            p.assertTrafficFlows(0, 200);
            assertEquals(3, p.internalErrors(p.client));
            assertEquals(TunnelState.UP, p.client.state());
        }
    }

    @Test
    void aDeviceWriteThatThrowsCostsOneBatchAndTheWriterGoesOn() throws Exception {
        try (Pair p = new Pair(TunnelListener.NONE)) {
            p.awaitUp();
            p.serverDevice.writes.arm(1, () -> new IllegalStateException("injected write fault"));
            p.someTraffic(0, 50);
            assertEquals(0, p.serverDevice.writes.remaining.get(), "the fault happened");
            p.assertTrafficFlows(1_000, 200);
            assertEquals(1, p.internalErrors(p.server));
        }
    }

    @Test
    void aTransportReceiveThatThrowsIsCountedAndTheReceiverGoesOn() throws Exception {
        try (Pair p = new Pair(TunnelListener.NONE)) {
            p.awaitUp();
            p.serverTransports.receives.arm(2, () -> new IllegalStateException("injected receive fault"));
            p.someTraffic(0, 50);
            assertEquals(0, p.serverTransports.receives.remaining.get(), "the faults happened");
            p.assertTrafficFlows(1_000, 200);
            assertEquals(2, p.internalErrors(p.server));
        }
    }

    @Test
    void aSchedulerThatThrowsCostsOnePacketEach() throws Exception {
        try (Pair p = new Pair(TunnelListener.NONE)) {
            p.awaitUp();
            p.clientScheduler.selects.arm(5, () -> new IllegalStateException("injected scheduler fault"));
            p.someTraffic(0, 50);
            p.assertTrafficFlows(1_000, 200);
            assertEquals(5, p.internalErrors(p.client));
        }
    }

    @Test
    void anErrorInTheSendingThreadFailsTheTunnelLoudly() throws Exception {
        try (Pair p = new Pair(TunnelListener.NONE)) {
            p.awaitUp();
            p.clientScheduler.selects.arm(1, () -> new AssertionError("injected error"));
            p.clientDevice.inner.inject(new byte[100]);
            byte[] packet = io.mlvpn.core.testing.InnerPackets.build(false, 17, 100, 1);
            p.clientDevice.inner.inject(packet);
            await(() -> p.client.state() == TunnelState.FAILED, 5_000, "the tunnel failed");
            await(() -> p.clientStates.seen.contains(TunnelState.FAILED), 5_000, "listeners told");
            assertEquals(TunnelState.FAILED, p.client.stats().state());
        }
    }

    @Test
    void anErrorInTheTimerThreadFailsTheTunnelLoudly() throws Exception {
        AtomicInteger events = new AtomicInteger();
        TunnelListener throwing = new TunnelListener() {
            @Override
            public void linkStateChanged(LinkEvent event) {
                if (events.getAndIncrement() == 1) {
                    throw new AssertionError("injected error in a listener");
                }
            }
        };
        try (Pair p = new Pair(throwing)) {
            await(() -> p.client.state() == TunnelState.FAILED, 5_000, "the tunnel failed");
            // The state turns FAILED first; the stop thread then tells the listeners.
            await(() -> p.clientStates.seen.contains(TunnelState.FAILED), 5_000, "listeners told");
        }
    }
}
