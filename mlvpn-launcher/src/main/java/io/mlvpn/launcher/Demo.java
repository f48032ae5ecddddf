package io.mlvpn.launcher;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.testkit.lab.LoopbackPorts;
import io.mlvpn.testkit.lab.UdpRelay;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The no-root demo: a client and a server tunnel in this JVM, three links over loopback UDP
 * through relays that stand in for uplinks, in-memory devices, traffic at a steady rate, and one
 * link cut at a third of the run and restored at two thirds. Prints one line per second with each
 * link's state and send rate and the total delivered.
 */
final class Demo {
    /** Default run time: long enough to see a cut and a recovery, well under a minute. */
    static final int DEFAULT_SECONDS = 21;
    private static final String[] NAMES = {"dsl1", "dsl2", "lte"};
    private static final long[] UPLOAD_BITS = {50_000_000L, 30_000_000L, 20_000_000L};
    private static final long OFFERED_BITS = 60_000_000L;
    private static final int PACKET_BYTES = 1200;

    private final PrintStream out;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deliveredBytes = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo for {@code seconds} (at least 6); returns the process exit code. */
    static int run(int seconds, PrintStream out, PrintStream err) {
        try {
            return new Demo(out).run(Math.max(6, seconds));
        } catch (IOException | ConfigException e) {
            err.println("mlvpn demo: " + e.getMessage());
            return Main.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.EXIT_FAILURE;
        }
    }

    private int run(int seconds) throws IOException, ConfigException, InterruptedException {
        byte[] k = new byte[PreSharedKey.LENGTH];
        new SecureRandom().nextBytes(k);
        PreSharedKey key = PreSharedKey.of(k);
        TunnelConfig.Builder sb = base(Mode.SERVER, key);
        TunnelConfig.Builder cb = base(Mode.CLIENT, key);
        List<UdpRelay> relays = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            int port = LoopbackPorts.freeUdpPort();
            sb.addLink(LinkConfig.builder(NAMES[i]).bindHost("127.0.0.1").bindPort(port).build());
            UdpRelay relay = new UdpRelay(new InetSocketAddress("127.0.0.1", port));
            relays.add(relay);
            cb.addLink(LinkConfig.builder(NAMES[i]).bindHost("127.0.0.1").remoteHost("127.0.0.1")
                    .remotePort(relay.port()).uploadBitsPerSecond(UPLOAD_BITS[i]).build());
        }
        TunnelConfig sc = sb.build();
        TunnelConfig cc = cb.build();
        int mtu = TunnelBuilder.tunnelMtu(cc);
        MemoryDevice serverDevice = new MemoryDevice("demo-srv", DeviceType.TUN, mtu, 4096);
        MemoryDevice clientDevice = new MemoryDevice("demo-cli", DeviceType.TUN, mtu, 4096);
        Tunnel server = TunnelBuilder.of(sc).device(serverDevice).build();
        Tunnel client = TunnelBuilder.of(cc).device(clientDevice).build();
        client.addListener(new TunnelListener() {
            @Override
            public void linkStateChanged(LinkEvent e) {
                out.printf(Locale.ROOT, "         event: link %s %s -> %s (%s)%n", e.link(),
                        e.from().name().toLowerCase(Locale.ROOT), e.to().name().toLowerCase(Locale.ROOT), e.reason());
            }
        });
        out.printf(Locale.ROOT, "mlvpn-java demo: client and server in one JVM, %d links over loopback UDP "
                + "(configured upload %s), %d Mbit/s offered, tunnel MTU %d%n", NAMES.length,
                "50/30/20 Mbit/s", OFFERED_BITS / 1_000_000, mtu);
        Thread sender = new Thread(() -> send(clientDevice), "demo-traffic");
        Thread receiver = new Thread(() -> receive(serverDevice), "demo-sink");
        boolean recovered = false;
        long cutDelivered = 0;
        try {
            server.start();
            client.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.state() != TunnelState.UP && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000L);
            }
            if (client.state() != TunnelState.UP) {
                out.println("the tunnel did not come up within 10 s");
                return Main.EXIT_FAILURE;
            }
            sender.start();
            receiver.start();
            int cutAt = seconds / 3;
            int healAt = 2 * seconds / 3;
            long lastBytes = 0;
            for (int t = 1; t <= seconds; t++) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                long bytes = deliveredBytes.get();
                printLine(t, client, bytes - lastBytes);
                lastBytes = bytes;
                if (t == cutAt) {
                    out.printf(Locale.ROOT, "t=%2ds    cutting link %s (its relay drops everything, silently)%n", t,
                            NAMES[2]);
                    relays.get(2).cut(true);
                    cutDelivered = delivered.get();
                } else if (t == healAt) {
                    out.printf(Locale.ROOT, "t=%2ds    restoring link %s%n", t, NAMES[2]);
                    relays.get(2).cut(false);
                }
            }
            // Back means carrying authenticated traffic again; whether it is judged healthy yet
            // (up) or still measured (probation, lossy) is in the table above.
            recovered = client.link(NAMES[2]).map(l -> l.state().connected()).orElse(false);
        } finally {
            running.set(false);
            sender.join(2_000);
            client.close();
            server.close();
            receiver.join(3_000);
            for (UdpRelay r : relays) {
                r.close();
            }
            clientDevice.close();
            serverDevice.close();
        }
        TunnelStats cs = client.stats();
        long lost = injected.get() - delivered.get();
        out.printf(Locale.ROOT, "done: %d packets sent, %d delivered intact, %d lost (%.3f %%), "
                + "%d delivered after the cut; link %s %s%n", injected.get(), delivered.get(), lost,
                injected.get() == 0 ? 0.0 : 100.0 * lost / injected.get(), delivered.get() - cutDelivered, NAMES[2],
                recovered ? "came back" : "did NOT come back");
        for (LinkStats l : cs.links()) {
            out.printf(Locale.ROOT, "  %-5s sent %7d packets, peer reported %d lost, srtt %.2f ms, %d down%n", l.name(),
                    l.txPackets(), l.lostPackets(), l.srttMicros() / 1000.0, l.downTransitions());
        }
        return recovered && delivered.get() > cutDelivered ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private void printLine(int t, Tunnel client, long bytesThisSecond) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "t=%2ds  tunnel %-4s",
                t, client.state().name().toLowerCase(Locale.ROOT)));
        long total = 0;
        for (LinkStats l : client.stats().links()) {
            sb.append(String.format(Locale.ROOT, "  %s %-4s %5.1f", l.name(),
                    l.state().name().toLowerCase(Locale.ROOT), l.txBitsPerSecond() / 1e6));
            total += l.txBitsPerSecond();
        }
        sb.append(String.format(Locale.ROOT, "  | sent %5.1f  delivered %5.1f Mbit/s", total / 1e6,
                bytesThisSecond * 8 / 1e6));
        out.println(sb);
    }

    private void send(MemoryDevice device) {
        byte[] p = new byte[PACKET_BYTES];
        long intervalNanos = PACKET_BYTES * 8L * 1_000_000_000L / OFFERED_BITS;
        long next = System.nanoTime();
        long seq = 0;
        while (running.get()) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(Math.min(next - now, 1_000_000L));
                continue;
            }
            next += intervalNanos;
            if (now - next > 100_000_000L) {
                next = now;
            }
            fill(p, seq++);
            if (device.inject(p, 0, p.length)) {
                injected.incrementAndGet();
            }
        }
    }

    private static void fill(byte[] p, long seq) {
        // A minimal IPv4 header so the packet looks like what a tun device carries.
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        for (int i = 0; i < 8; i++) {
            p[20 + i] = (byte) (seq >>> (56 - 8 * i));
        }
    }

    private void receive(MemoryDevice device) {
        byte[] p = new byte[65536];
        while (true) {
            int n;
            try {
                n = device.poll(p, 500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (n < 0) {
                if (!running.get()) {
                    return;
                }
                continue;
            }
            delivered.incrementAndGet();
            deliveredBytes.addAndGet(n);
        }
    }

    private static TunnelConfig.Builder base(Mode mode, PreSharedKey key) {
        return TunnelConfig.builder().mode(mode).secret(key).interfaceName("demo")
                .keepaliveInterval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(1));
    }
}
