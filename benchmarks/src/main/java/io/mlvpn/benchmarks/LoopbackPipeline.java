package io.mlvpn.benchmarks;

import io.mlvpn.api.Link;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A client and a server tunnel in this JVM, each on a {@link MemoryDevice}, the client's links
 * connected straight to the server's ports on 127.0.0.1: the whole packet path (device, seal,
 * UDP, open, device) with nothing in between.
 *
 * <p>The client's interface is {@code PREFIX + "c"}, the server's {@code PREFIX + "s"}, so the
 * tunnels' threads are named {@code mlvpn-PREFIXc-*} and {@code mlvpn-PREFIXs-*}
 * ({@link #tunnelThreadsAllocatedBytes()} counts those).
 *
 * <p>Threading: {@link #clientDevice()} takes injected packets from one thread and
 * {@link #serverDevice()} is polled by one thread (possibly the same); {@link #close()} from any.
 */
public final class LoopbackPipeline implements AutoCloseable {
    /** Slots of each device queue: more than any window the pump keeps in flight. */
    private static final int DEVICE_QUEUE_PACKETS = 4096;

    private final String clientName;
    private final String serverName;
    private final Tunnel client;
    private final Tunnel server;
    private final MemoryDevice clientDevice;
    private final MemoryDevice serverDevice;

    private LoopbackPipeline(String prefix, Tunnel client, Tunnel server, MemoryDevice clientDevice,
            MemoryDevice serverDevice) {
        this.clientName = prefix + "c";
        this.serverName = prefix + "s";
        this.client = client;
        this.server = server;
        this.clientDevice = clientDevice;
        this.serverDevice = serverDevice;
    }

    /**
     * Builds and starts the pair (it comes up in the background: see {@link #awaitUp}).
     *
     * @param prefix interface name prefix, a few letters
     * @param links links between the two ends, 1 or more
     * @param cipher the AEAD of both ends
     * @throws IllegalArgumentException when the prefix makes an invalid interface name
     * @throws IOException when a tunnel cannot start (a port taken in between, for one)
     */
    public static LoopbackPipeline start(String prefix, int links, CipherSuite cipher) throws IOException {
        if (links < 1) {
            throw new IllegalArgumentException("links < 1: " + links);
        }
        byte[] keyBytes = new byte[PreSharedKey.LENGTH];
        Arrays.fill(keyBytes, (byte) 7);
        PreSharedKey key = PreSharedKey.of(keyBytes);
        TunnelConfig sc;
        TunnelConfig cc;
        try {
            TunnelConfig.Builder sb = TunnelConfig.builder().mode(Mode.SERVER).secret(key).cipher(cipher)
                    .interfaceName(prefix + "s");
            TunnelConfig.Builder cb = TunnelConfig.builder().mode(Mode.CLIENT).secret(key).cipher(cipher)
                    .interfaceName(prefix + "c");
            for (int i = 0; i < links; i++) {
                int port = freePort();
                sb.addLink(LinkConfig.builder("l" + i).bindHost("127.0.0.1").bindPort(port).build());
                cb.addLink(LinkConfig.builder("l" + i).bindHost("127.0.0.1").remoteHost("127.0.0.1")
                        .remotePort(port).build());
            }
            sc = sb.build();
            cc = cb.build();
        } catch (ConfigException e) {
            // Only the prefix comes from the caller; everything else is fixed and valid.
            throw new IllegalArgumentException("bad pipeline configuration (prefix \"" + prefix + "\"): "
                    + e.getMessage(), e);
        }
        int mtu = TunnelBuilder.tunnelMtu(sc);
        MemoryDevice sd = new MemoryDevice(prefix + "s", DeviceType.TUN, mtu, DEVICE_QUEUE_PACKETS);
        MemoryDevice cd = new MemoryDevice(prefix + "c", DeviceType.TUN, mtu, DEVICE_QUEUE_PACKETS);
        Tunnel server = TunnelBuilder.of(sc).device(sd).build();
        Tunnel client = TunnelBuilder.of(cc).device(cd).build();
        LoopbackPipeline pipeline = new LoopbackPipeline(prefix, client, server, cd, sd);
        try {
            server.start();
            client.start();
        } catch (IOException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    /** A UDP port that was free on 127.0.0.1 when asked (the small race is accepted). */
    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until both tunnels and all their links are up.
     *
     * @throws IllegalStateException after {@code timeoutMillis}, naming the states seen
     */
    public void awaitUp(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!allUp(client) || !allUp(server)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("tunnels not up after " + timeoutMillis + " ms: client "
                        + client.state() + ", server " + server.state());
            }
            // Polling an observable state; the handshake takes a few milliseconds.
            Thread.sleep(5);
        }
    }

    private static boolean allUp(Tunnel t) {
        if (t.state() != TunnelState.UP) {
            return false;
        }
        for (Link l : t.links()) {
            if (l.state() != LinkState.UP) {
                return false;
            }
        }
        return true;
    }

    /** The client tunnel. */
    public Tunnel client() {
        return client;
    }

    /** The server tunnel. */
    public Tunnel server() {
        return server;
    }

    /** The client's device: inject packets here to send them to the server. */
    public MemoryDevice clientDevice() {
        return clientDevice;
    }

    /** The server's device: poll here for what the client sent. */
    public MemoryDevice serverDevice() {
        return serverDevice;
    }

    /**
     * Bytes allocated so far by the live threads of both tunnels ({@code mlvpn-PREFIXc-*},
     * {@code mlvpn-PREFIXs-*}), from {@link com.sun.management.ThreadMXBean}. Allocates itself,
     * on the calling thread only; call it outside measured code.
     *
     * @throws UnsupportedOperationException when this JVM does not count allocation per thread
     */
    public long tunnelThreadsAllocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            throw new UnsupportedOperationException("this JVM does not count allocated bytes per thread");
        }
        String clientThreads = "mlvpn-" + clientName + "-";
        String serverThreads = "mlvpn-" + serverName + "-";
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.startsWith(clientThreads) || n.startsWith(serverThreads)) {
                long bytes = threads.getThreadAllocatedBytes(t.getId());
                if (bytes > 0) {
                    total += bytes;
                }
            }
        }
        return total;
    }

    /** Number of live tunnel threads counted by {@link #tunnelThreadsAllocatedBytes()}. */
    public int tunnelThreadCount() {
        String clientThreads = "mlvpn-" + clientName + "-";
        String serverThreads = "mlvpn-" + serverName + "-";
        int count = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.startsWith(clientThreads) || n.startsWith(serverThreads)) {
                count++;
            }
        }
        return count;
    }

    /** Closes both tunnels and both devices. */
    @Override
    public void close() {
        client.close();
        server.close();
        clientDevice.close();
        serverDevice.close();
    }
}
