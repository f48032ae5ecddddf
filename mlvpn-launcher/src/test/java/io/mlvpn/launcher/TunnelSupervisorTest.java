package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.session.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Two supervisors over loopback UDP with in-memory devices: hooks, reload and shutdown order. */
class TunnelSupervisorTest {
    @TempDir
    Path dir;

    /** Latches per link name, counted down when that link comes up. */
    private final Map<String, CountDownLatch> clientLinksUp = new ConcurrentHashMap<>();
    private final Map<String, MemoryDevice> devices = new ConcurrentHashMap<>();

    private static int freeUdpPort() throws IOException {
        // Below the ephemeral range: an ephemeral port could be taken again before the tunnel binds it.
        return io.mlvpn.testkit.lab.LoopbackPorts.freeUdpPort();
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private CountDownLatch upLatch(String link) {
        return clientLinksUp.computeIfAbsent(link, l -> new CountDownLatch(1));
    }

    private TunnelSupervisor supervisor(Path file, String name, TunnelListener listener) throws Exception {
        LauncherConfig config = PropertiesConfig.parse(file);
        return new TunnelSupervisor(config, name, LoggerFactory.getLogger(name),
                (DeviceConfig c) -> devices.computeIfAbsent(name, n -> new MemoryDevice(c.name(), c.type(), c.mtu(), 64)),
                (c, d) -> {
                    Tunnel t = TunnelBuilder.of(c).device(d).build();
                    t.addListener(listener);
                    return t;
                },
                () -> PropertiesConfig.parse(file));
    }

    private static Thread serve(TunnelSupervisor s, String name) {
        Thread t = new Thread(s::serve, name + "-main");
        t.start();
        return t;
    }

    @Test
    void hooksFollowTheLinksThroughAReloadAndTheShutdown() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        int p1 = freeUdpPort();
        int p2 = freeUdpPort();
        String common = "key.file=k.key\nkeepalive.interval=200ms\ntimeout=2s\n";
        Path server = write("server.properties", "mode=server\n" + common + "interface.name=srv0\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + p1 + "\n"
                + "link.b.bind.host=127.0.0.1\nlink.b.bind.port=" + p2 + "\n");
        String client = "mode=client\n" + common + "status.command=status.sh\nhook.ip4=10.42.0.2\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.remote.host=127.0.0.1\nlink.a.remote.port=" + p1 + "\n";
        Path clientFile = write("client.properties", client + "interface.name=cli0\n");

        TunnelListener watcher = new TunnelListener() {
            @Override
            public void linkStateChanged(LinkEvent e) {
                if (e.to() == LinkState.UP) {
                    upLatch(e.link()).countDown();
                }
            }
        };
        TunnelSupervisor s = supervisor(server, "srv", TunnelListener.NONE);
        TunnelSupervisor c = supervisor(clientFile, "cli", watcher);
        s.start();
        Thread serverMain = serve(s, "srv");
        try {
            c.start();
            assertTrue(upLatch("a").await(20, TimeUnit.SECONDS), "link a up");

            write("client.properties", "mode=client\nthis.key=is unknown\n");
            TunnelSupervisor.ReloadOutcome bad = c.reload();
            assertFalse(bad.applied(), "a broken file is not applied");
            assertEquals(List.of("a"), c.tunnel().links().stream().map(l -> l.name()).toList());

            write("client.properties", client.replace("10.42.0.2", "10.42.0.9") + "interface.name=cli1\n"
                    + "link.b.bind.host=127.0.0.1\nlink.b.remote.host=127.0.0.1\nlink.b.remote.port=" + p2 + "\n");
            TunnelSupervisor.ReloadOutcome good = c.reload();
            assertTrue(good.applied());
            assertEquals(List.of("interface.*: changes only at restart"), good.notApplied());
            assertTrue(upLatch("b").await(20, TimeUnit.SECONDS), "link b, added by the reload, up");

            Thread clientMain = serve(c, "cli");
            c.requestStop("test");
            clientMain.join(30_000);
            assertFalse(clientMain.isAlive(), "the client stopped");
        } finally {
            s.requestStop("test");
            serverMain.join(30_000);
        }
        assertFalse(serverMain.isAlive(), "the server stopped");
        assertEquals(List.of("cli0 rtun_up a", "cli0 tuntap_up", "cli0 rtun_up b", "cli0 rtun_down a",
                "cli0 rtun_down b", "cli0 tuntap_down"), fake.calls());
        assertTrue(fake.lines().get(0).contains(" IP4=10.42.0.2 "), fake.lines().get(0));
        assertTrue(fake.lines().get(5).contains(" IP4=10.42.0.9 "), "hook variables reload live: "
                + fake.lines().get(5));
        assertTrue(fake.lines().get(0).contains("MTU=" + c.tunnel().mtu() + " "), fake.lines().get(0));
        assertTrue(devices.get("cli").isClosed(), "the device is closed at the end");
        assertTrue(devices.get("srv").isClosed());
        assertEquals(6, c.runner().orElseThrow().runs());
    }

    @Test
    void aDeviceDeletedUnderTheTunnelStopsItAsAFailure() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        Path f = write("server.properties", "mode=server\nkey.file=k.key\ninterface.name=gone0\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + freeUdpPort() + "\n");
        java.util.concurrent.atomic.AtomicBoolean deleted = new java.util.concurrent.atomic.AtomicBoolean();
        TunnelSupervisor s = new TunnelSupervisor(PropertiesConfig.parse(f), "srv", LoggerFactory.getLogger("srv"),
                c -> devices.computeIfAbsent("srv", n -> new MemoryDevice(c.name(), c.type(), c.mtu(), 64)),
                (c, d) -> TunnelBuilder.of(c).device(d).build(), () -> PropertiesConfig.parse(f),
                d -> () -> {
                    watched.incrementAndGet();
                    return deleted.get();
                });
        s.start();
        Thread main = serve(s, "srv");
        awaitWatchedTwice();
        assertTrue(main.isAlive(), "serving while the device is there");
        deleted.set(true);
        main.join(30_000);
        assertFalse(main.isAlive(), "the supervisor stopped by itself");
        assertTrue(s.failed(), "a deleted device is a failure (exit status 1)");
        assertTrue(devices.get("srv").isClosed(), "the stop was orderly: the device is closed");
    }

    @Test
    void aFailedTunnelStopsTheLauncherAsAFailure() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        Path f = write("server.properties", "mode=server\nkey.file=k.key\ninterface.name=fail0\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + freeUdpPort() + "\n");
        java.util.concurrent.atomic.AtomicBoolean engineFailed = new java.util.concurrent.atomic.AtomicBoolean();
        TunnelSupervisor s = new TunnelSupervisor(PropertiesConfig.parse(f), "srv", LoggerFactory.getLogger("srv"),
                c -> devices.computeIfAbsent("srv", n -> new MemoryDevice(c.name(), c.type(), c.mtu(), 64)),
                (c, d) -> new FailingTunnel(TunnelBuilder.of(c).device(d).build(), engineFailed),
                () -> PropertiesConfig.parse(f), d -> () -> {
                    watched.incrementAndGet();
                    return false;
                });
        s.start();
        Thread main = serve(s, "srv");
        awaitWatchedTwice();
        assertTrue(main.isAlive(), "serving while the tunnel runs");
        engineFailed.set(true);
        main.join(30_000);
        assertFalse(main.isAlive(), "the supervisor stopped by itself");
        assertTrue(s.failed(), "a failed tunnel is a failure (exit status 1)");
        assertTrue(devices.get("srv").isClosed(), "the stop was orderly: the device is closed");
    }

    private final java.util.concurrent.atomic.AtomicInteger watched = new java.util.concurrent.atomic.AtomicInteger();

    /** Waits until the serving loop has checked the device twice: it runs and did not stop on its own. */
    private void awaitWatchedTwice() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (watched.get() < 2) {
            assertTrue(System.nanoTime() - deadline < 0, "the serving loop never checked the device");
            // Polls a counter the serving thread moves; there is nothing to block on.
            Thread.sleep(5);
        }
    }

    /** The real tunnel, reporting FAILED once the test says so (as an engine whose thread died). */
    private static final class FailingTunnel implements Tunnel {
        private final Tunnel real;
        private final java.util.concurrent.atomic.AtomicBoolean failed;

        FailingTunnel(Tunnel real, java.util.concurrent.atomic.AtomicBoolean failed) {
            this.real = real;
            this.failed = failed;
        }

        @Override
        public io.mlvpn.api.config.TunnelConfig config() {
            return real.config();
        }

        @Override
        public io.mlvpn.api.TunnelState state() {
            return failed.get() ? io.mlvpn.api.TunnelState.FAILED : real.state();
        }

        @Override
        public int mtu() {
            return real.mtu();
        }

        @Override
        public List<io.mlvpn.api.Link> links() {
            return real.links();
        }

        @Override
        public java.util.Optional<io.mlvpn.api.Link> link(String name) {
            return real.link(name);
        }

        @Override
        public io.mlvpn.api.TunnelStats stats() {
            return real.stats();
        }

        @Override
        public void addListener(TunnelListener listener) {
            real.addListener(listener);
        }

        @Override
        public void removeListener(TunnelListener listener) {
            real.removeListener(listener);
        }

        @Override
        public List<String> reconfigure(io.mlvpn.api.config.TunnelConfig config) {
            return real.reconfigure(config);
        }

        @Override
        public void start() throws IOException {
            real.start();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void anOrderlyStopIsNoFailure() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        Path f = write("server.properties", "mode=server\nkey.file=k.key\ninterface.name=stay0\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + freeUdpPort() + "\n");
        TunnelSupervisor s = supervisor(f, "srv", TunnelListener.NONE);
        s.start();
        Thread main = serve(s, "srv");
        s.requestStop("test");
        main.join(30_000);
        assertFalse(main.isAlive(), "stopped");
        assertFalse(s.failed(), "a requested stop exits with status 0");
    }

    @Test
    void aStatusCommandThatIsUnsafeTurnsHooksOffButTheTunnelRuns() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        Path script = FakeStatusCommand.in(dir).script;
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path f = write("server.properties", "mode=server\nkey.file=k.key\nstatus.command=status.sh\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + freeUdpPort() + "\n");
        TunnelSupervisor s = supervisor(f, "srv", TunnelListener.NONE);
        s.start();
        assertTrue(s.runner().isEmpty());
        Thread main = serve(s, "srv");
        s.requestStop("test");
        main.join(30_000);
        assertFalse(main.isAlive());
        assertTrue(s.awaitStopped(Duration.ZERO));
    }

    @Test
    void aDeviceThatCannotBeOpenedFailsTheStartWithItsCause() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        Path f = write("server.properties", "mode=server\nkey.file=k.key\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + freeUdpPort() + "\n");
        TunnelSupervisor s = new TunnelSupervisor(PropertiesConfig.parse(f), "srv", LoggerFactory.getLogger("srv"),
                c -> {
                    throw new IOException("open(\"/dev/net/tun\"): EACCES (errno 13)");
                },
                (c, d) -> TunnelBuilder.of(c).device(d).build(), () -> PropertiesConfig.parse(f));
        IOException e = assertThrows(IOException.class, s::start);
        assertEquals("open(\"/dev/net/tun\"): EACCES (errno 13)", e.getMessage());
    }

    @Test
    void theOffloadSwitchReachesTheDevice() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        for (boolean offload : new boolean[] {true, false}) {
            Path f = write("server.properties", "mode=server\nkey.file=k.key\ninterface.offload=" + offload + "\n"
                    + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + freeUdpPort() + "\n");
            List<DeviceConfig> asked = new java.util.ArrayList<>();
            TunnelSupervisor s = new TunnelSupervisor(PropertiesConfig.parse(f), "srv", LoggerFactory.getLogger("srv"),
                    c -> {
                        asked.add(c);
                        throw new IOException("stop here");
                    },
                    (c, d) -> TunnelBuilder.of(c).device(d).build(), () -> PropertiesConfig.parse(f));
            assertThrows(IOException.class, s::start);
            assertEquals(1, asked.size());
            assertEquals(offload, asked.get(0).offloads());
        }
    }

    @Test
    void aTunnelThatCannotBuildClosesTheDevice() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        Path f = write("server.properties", "mode=server\nkey.file=k.key\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + freeUdpPort() + "\n");
        MemoryDevice device = new MemoryDevice("x0", io.mlvpn.api.device.DeviceType.TUN, 1400, 8);
        TunnelSupervisor s = new TunnelSupervisor(PropertiesConfig.parse(f), "srv", LoggerFactory.getLogger("srv"),
                c -> device,
                (c, d) -> {
                    throw new IOException("no transport");
                },
                () -> PropertiesConfig.parse(f));
        assertThrows(IOException.class, s::start);
        assertTrue(device.isClosed());
    }
}
