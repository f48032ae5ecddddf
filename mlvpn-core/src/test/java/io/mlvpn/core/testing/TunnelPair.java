package io.mlvpn.core.testing;

import io.mlvpn.api.Clock;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.testkit.lab.UdpRelay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A client and a server tunnel in this JVM, joined over loopback UDP by one {@link UdpRelay} per
 * link, each with a {@link MemoryDevice}. Closing it checks that the tunnels left nothing behind
 * ({@link EngineLeakCheck}). Test utility.
 */
public final class TunnelPair implements AutoCloseable {
    public final Tunnel server;
    public final Tunnel client;
    public final MemoryDevice serverDevice;
    public final MemoryDevice clientDevice;
    public final List<UdpRelay> relays = new ArrayList<>();

    private TunnelPair(Tunnel server, Tunnel client, MemoryDevice serverDevice, MemoryDevice clientDevice) {
        this.server = server;
        this.client = client;
        this.serverDevice = serverDevice;
        this.clientDevice = clientDevice;
    }

    /** A pre-shared key made of one repeated byte. */
    public static PreSharedKey key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return PreSharedKey.of(k);
    }

    /** A free UDP port on 127.0.0.1; see {@link io.mlvpn.testkit.lab.LoopbackPorts}. */
    public static int freePort() throws IOException {
        return io.mlvpn.testkit.lab.LoopbackPorts.freeUdpPort();
    }

    /** Base configuration both ends share: fast keepalives and a short timeout for tests. */
    public static TunnelConfig.Builder base(Mode mode, PreSharedKey key) {
        return TunnelConfig.builder().mode(mode).secret(key)
                .keepaliveInterval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(1));
    }

    /** Starts a pair with {@code links} links and the same key and cipher on both ends. */
    public static TunnelPair start(int links) throws Exception {
        return start(links, b -> b, b -> b);
    }

    /**
     * Starts a pair; the two operators may change each end's configuration (key, cipher, ...)
     * before it is built.
     */
    public static TunnelPair start(int links, UnaryOperator<TunnelConfig.Builder> serverChange,
            UnaryOperator<TunnelConfig.Builder> clientChange) throws Exception {
        return start(links, serverChange, clientChange, Clock.SYSTEM);
    }

    /** Like {@link #start(int, UnaryOperator, UnaryOperator)}, with both ends on {@code clock}. */
    public static TunnelPair start(int links, UnaryOperator<TunnelConfig.Builder> serverChange,
            UnaryOperator<TunnelConfig.Builder> clientChange, Clock clock) throws Exception {
        return start(links, serverChange, clientChange, clock, d -> d, d -> d);
    }

    /**
     * Like {@link #start(int, UnaryOperator, UnaryOperator, Clock)}; each tunnel gets the device its
     * function makes of its memory device (a wrapper, say), while {@link #serverDevice} and
     * {@link #clientDevice} stay the memory devices to inject into and poll.
     */
    public static TunnelPair start(int links, UnaryOperator<TunnelConfig.Builder> serverChange,
            UnaryOperator<TunnelConfig.Builder> clientChange, Clock clock,
            Function<MemoryDevice, PacketDevice> serverDevice, Function<MemoryDevice, PacketDevice> clientDevice)
            throws Exception {
        return start(links, serverChange, clientChange, clock, serverDevice, clientDevice, t -> t, t -> t);
    }

    /**
     * Like {@link #start(int, UnaryOperator, UnaryOperator, Clock, Function, Function)}; the last two
     * change each tunnel's builder (a scheduler, say) before it builds.
     */
    public static TunnelPair start(int links, UnaryOperator<TunnelConfig.Builder> serverChange,
            UnaryOperator<TunnelConfig.Builder> clientChange, Clock clock,
            Function<MemoryDevice, PacketDevice> serverDevice, Function<MemoryDevice, PacketDevice> clientDevice,
            UnaryOperator<TunnelBuilder> serverBuild, UnaryOperator<TunnelBuilder> clientBuild) throws Exception {
        TunnelConfig.Builder sb = base(Mode.SERVER, key(7)).interfaceName("srv0");
        TunnelConfig.Builder cb = base(Mode.CLIENT, key(7)).interfaceName("cli0");
        List<UdpRelay> relays = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            int port = freePort();
            sb.addLink(link("l" + i).bindHost("127.0.0.1").bindPort(port).build());
            UdpRelay relay = new UdpRelay(new InetSocketAddress("127.0.0.1", port));
            relays.add(relay);
            cb.addLink(link("l" + i).bindHost("127.0.0.1").remoteHost("127.0.0.1").remotePort(relay.port())
                    .build());
        }
        // The changes see the links, so they may adjust them too.
        TunnelConfig sc = serverChange.apply(sb).build();
        TunnelConfig cc = clientChange.apply(cb).build();
        int mtu = TunnelBuilder.tunnelMtu(sc);
        MemoryDevice sd = new MemoryDevice("srv0", DeviceType.TUN, mtu + 200, 4096);
        MemoryDevice cd = new MemoryDevice("cli0", DeviceType.TUN, mtu + 200, 4096);
        Tunnel server = serverBuild.apply(TunnelBuilder.of(sc).device(serverDevice.apply(sd)).clock(clock)).build();
        Tunnel client = clientBuild.apply(TunnelBuilder.of(cc).device(clientDevice.apply(cd)).clock(clock)).build();
        TunnelPair pair = new TunnelPair(EngineLeakCheck.watch(server), EngineLeakCheck.watch(client), sd, cd);
        pair.relays.addAll(relays);
        server.start();
        client.start();
        return pair;
    }

    /** A server link {@code name} on a free port and the client link that reaches it through a new relay. */
    public LinkConfig[] addLinkPair(String name) throws Exception {
        int port = freePort();
        UdpRelay relay = new UdpRelay(new InetSocketAddress("127.0.0.1", port));
        relays.add(relay);
        return new LinkConfig[] {
            link(name).bindHost("127.0.0.1").bindPort(port).build(),
            link(name).bindHost("127.0.0.1").remoteHost("127.0.0.1").remotePort(relay.port()).build()
        };
    }

    private static LinkConfig.Builder link(String name) {
        return LinkConfig.builder(name);
    }

    /** Waits until every link of both ends is up; fails after {@code timeoutMillis}. */
    public void awaitAllUp(long timeoutMillis) throws InterruptedException {
        await(() -> allUp(client) && allUp(server), timeoutMillis, "all links up");
    }

    /** True when every link of the tunnel is up. */
    public static boolean allUp(Tunnel t) {
        if (t.state() != TunnelState.UP) {
            return false;
        }
        for (var l : t.links()) {
            if (l.state() != LinkState.UP) {
                return false;
            }
        }
        return true;
    }

    /**
     * Polls {@code condition} every 5 ms until it holds; throws AssertionError naming
     * {@code what} after {@code timeoutMillis}. Waiting on an observable condition, not a guess.
     */
    public static void await(BooleanSupplier condition, long timeoutMillis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            // Re-checks a state other threads change; it offers nothing to block on.
            Thread.sleep(5);
        }
    }

    /**
     * Closes both tunnels, the relays and the devices, then asserts that the tunnels left no
     * engine thread alive and no packet buffer outside their pools ({@link EngineLeakCheck}).
     */
    @Override
    public void close() throws java.io.IOException {
        client.close();
        server.close();
        for (UdpRelay r : relays) {
            r.close();
        }
        serverDevice.close();
        clientDevice.close();
        try {
            EngineLeakCheck.assertClean(List.of(client, server));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while checking the closed tunnels");
        }
    }

    /** A config builder change that sets the cipher. */
    public static UnaryOperator<TunnelConfig.Builder> cipher(CipherSuite c) {
        return b -> b.cipher(c);
    }
}
