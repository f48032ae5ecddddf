package io.mlvpn.launcher.control;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A client and a server tunnel in this JVM over loopback UDP, with in-memory devices. */
final class TunnelPair implements AutoCloseable {
    final Tunnel client;
    final Tunnel server;
    final MemoryDevice clientDevice = new MemoryDevice("cli0", DeviceType.TUN, 1400, 1024);
    final MemoryDevice serverDevice = new MemoryDevice("srv0", DeviceType.TUN, 1400, 1024);
    private final Map<String, CountDownLatch> up = new ConcurrentHashMap<>();

    TunnelPair(String... links) throws Exception {
        byte[] key = new byte[PreSharedKey.LENGTH];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        TunnelConfig.Builder s = base(Mode.SERVER, key);
        TunnelConfig.Builder c = base(Mode.CLIENT, key);
        for (String l : links) {
            int port = freeUdpPort();
            s.addLink(LinkConfig.builder(l).bindHost("127.0.0.1").bindPort(port).build());
            c.addLink(LinkConfig.builder(l).bindHost("127.0.0.1").remoteHost("127.0.0.1").remotePort(port)
                    .uploadBitsPerSecond(50_000_000).build());
        }
        server = TunnelBuilder.of(s.build()).device(serverDevice).build();
        client = TunnelBuilder.of(c.build()).device(clientDevice).build();
        client.addListener(new TunnelListener() {
            @Override
            public void linkStateChanged(LinkEvent e) {
                if (e.to() == LinkState.UP) {
                    latch(e.link()).countDown();
                }
            }
        });
        server.start();
        client.start();
    }

    private CountDownLatch latch(String link) {
        return up.computeIfAbsent(link, l -> new CountDownLatch(1));
    }

    /** Waits until every named link of the client is up. */
    void awaitUp(String... links) throws InterruptedException {
        for (String l : links) {
            if (!latch(l).await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("link " + l + " not up within 20 s: " + client.stats());
            }
        }
    }

    /** Sends {@code n} packets from the client's device and waits until the server's device has them. */
    int send(int n) throws InterruptedException {
        byte[] p = new byte[600];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        byte[] buf = new byte[2048];
        int received = 0;
        for (int i = 0; i < n; i++) {
            p[20] = (byte) i;
            while (!clientDevice.inject(p)) {
                Thread.onSpinWait();
            }
            while (serverDevice.poll(buf, 0, TimeUnit.MILLISECONDS) >= 0) {
                received++;
            }
        }
        while (received < n && serverDevice.poll(buf, 2, TimeUnit.SECONDS) >= 0) {
            received++;
        }
        return received;
    }

    private static TunnelConfig.Builder base(Mode mode, byte[] key) {
        return TunnelConfig.builder().mode(mode).secret(PreSharedKey.of(key)).interfaceName("t")
                .keepaliveInterval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(2));
    }

    static int freeUdpPort() throws IOException {
        // Below the ephemeral range: an ephemeral port could be taken again before the tunnel binds it.
        return io.mlvpn.testkit.lab.LoopbackPorts.freeUdpPort();
    }

    /**
     * Closes both tunnels and devices, then asserts that the engine threads ended and every packet
     * buffer went back to its pool (as core's {@code EngineLeakCheck} does for core's tests).
     */
    @Override
    public void close() {
        client.close();
        server.close();
        clientDevice.close();
        serverDevice.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mlvpn-t-")) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for the engine threads to end");
                }
                if (t.isAlive()) {
                    throw new AssertionError("engine thread " + t.getName() + " alive 5 s after close");
                }
            }
        }
        for (Tunnel t : new Tunnel[] {client, server}) {
            if (t.stats().buffersInUse() != 0) {
                throw new AssertionError(t.stats().buffersInUse() + " packet buffers not returned after close");
            }
        }
    }
}
