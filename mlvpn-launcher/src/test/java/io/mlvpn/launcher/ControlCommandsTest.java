package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.config.ConfigException;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.session.Secrets;
import io.mlvpn.launcher.control.ControlClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A live client/server pair of supervisors with control sockets: the status, links and reload
 * commands, links taken down and put back, and a failover reaching the flight recorder.
 */
class ControlCommandsTest {
    @TempDir
    Path dir;

    private final Map<String, MemoryDevice> devices = new ConcurrentHashMap<>();
    private final BlockingQueue<LinkEvent> clientEvents = new LinkedBlockingQueue<>();

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

    private TunnelSupervisor supervisor(Path file, String name, TunnelListener listener) throws Exception {
        return new TunnelSupervisor(PropertiesConfig.parse(file), name, LoggerFactory.getLogger(name),
                c -> devices.computeIfAbsent(name, n -> new MemoryDevice(c.name(), c.type(), c.mtu(), 64)),
                (c, d) -> {
                    Tunnel t = TunnelBuilder.of(c).device(d).build();
                    t.addListener(listener);
                    return t;
                },
                () -> PropertiesConfig.parse(file));
    }

    private void awaitEvent(String link, LinkState to) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            LinkEvent e = clientEvents.poll(1, TimeUnit.SECONDS);
            if (e != null && e.link().equals(link) && e.to() == to) {
                return;
            }
        }
        throw new AssertionError("link " + link + " never went " + to);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status = Main.run(args, o, e);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theCommandsShowAndSteerALiveTunnel() throws Exception {
        Secrets.generateKeyFile(dir.resolve("k.key"));
        int p1 = freeUdpPort();
        int p2 = freeUdpPort();
        String common = "key.file=k.key\nkeepalive.interval=200ms\ntimeout=2s\n";
        Path serverFile = write("server.properties", "mode=server\n" + common + "control.unix=run/srv.sock\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.bind.port=" + p1 + "\n"
                + "link.b.bind.host=127.0.0.1\nlink.b.bind.port=" + p2 + "\n");
        Path clientFile = write("client.properties", "mode=client\n" + common + "control.unix=run/cli.sock\n"
                + "link.a.bind.host=127.0.0.1\nlink.a.remote.host=127.0.0.1\nlink.a.remote.port=" + p1 + "\n"
                + "link.a.bandwidth=20mbit\n"
                + "link.b.bind.host=127.0.0.1\nlink.b.remote.host=127.0.0.1\nlink.b.remote.port=" + p2 + "\n");
        TunnelSupervisor s = supervisor(serverFile, "srv", TunnelListener.NONE);
        TunnelSupervisor c = supervisor(clientFile, "cli", new TunnelListener() {
            @Override
            public void linkStateChanged(LinkEvent e) {
                clientEvents.add(e);
            }
        });
        s.start();
        Thread serverMain = new Thread(s::serve, "srv-main");
        serverMain.start();
        c.start();
        Thread clientMain = new Thread(c::serve, "cli-main");
        clientMain.start();
        Path clientSock = dir.resolve("run/cli.sock");
        Path serverSock = dir.resolve("run/srv.sock");
        try {
            awaitEvent("a", LinkState.UP);
            awaitEvent("b", LinkState.UP);

            Run status = main("status", "-c", clientFile.toString());
            assertEquals(0, status.status(), status.err());
            String[] lines = status.out().split("\n");
            assertTrue(lines[0].startsWith("tunnel up · client · aes-256-gcm · device "), status.out());
            assertTrue(lines[1].matches("LINK +STATE +RTT +LOSS +TX +RX +DELIVERED +SINCE +REASON"), lines[1]);
            assertTrue(lines[2].matches("a +up +\\d+\\.\\d ms +\\d+\\.\\d% +.*authenticated traffic under session \\d+"),
                    lines[2]);
            assertTrue(lines[3].startsWith("b "), lines[3]);

            Run json = main("status", "--json", "--socket", clientSock.toString());
            assertEquals(0, json.status());
            assertTrue(json.out().startsWith("{\"name\":\"cli\""), json.out());

            // The server takes link b down: the client sees the peer leave, a failover.
            String down = ControlClient.query(serverSock, "link b down", Duration.ofSeconds(30));
            assertTrue(down.contains("\"ok\":true"), down);
            awaitEvent("b", LinkState.DOWN);
            Run links = main("links", "--socket", serverSock.toString());
            assertEquals(0, links.status(), links.err());
            assertTrue(links.out().lines().anyMatch(l -> l.matches("b +down \\(admin\\) .*administratively down")),
                    links.out());
            assertEquals(List.of("a"), s.tunnel().links().stream().map(l -> l.name()).toList());
            assertTrue(ControlClient.query(serverSock, "link a down", Duration.ofSeconds(30)).contains("last link"),
                    "the last link stays");
            assertTrue(ControlClient.query(serverSock, "link zz down", Duration.ofSeconds(30)).contains("unknown_link"));

            // A reload keeps b down; putting it up brings it back.
            Run reload = main("reload", "--socket", serverSock.toString());
            assertEquals(0, reload.status(), reload.err());
            assertTrue(reload.out().startsWith("reloaded "), reload.out());
            assertEquals(List.of("a"), s.tunnel().links().stream().map(l -> l.name()).toList());
            assertTrue(ControlClient.query(serverSock, "link b up", Duration.ofSeconds(30)).contains("\"ok\":true"));
            awaitEvent("b", LinkState.UP);

            // The client's flight recorder has the failover of b.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String clientStatus = "";
            while (System.nanoTime() < deadline && !clientStatus.contains("\"complete\":true")) {
                clientStatus = ControlClient.query(clientSock, "status", Duration.ofSeconds(10));
                Thread.sleep(100); // the recorder completes on its 100 ms sampler
            }
            assertTrue(clientStatus.contains("\"failovers\":[{\"link\":\"b\",\"reason\":\"peer disconnected\""),
                    clientStatus);
            Run table = main("status", "--socket", clientSock.toString());
            assertTrue(table.out().contains("failovers (latest last):\n  b: silent at "), table.out());
        } finally {
            c.requestStop("test");
            s.requestStop("test");
            clientMain.join(30_000);
            serverMain.join(30_000);
        }
        assertFalse(Files.exists(clientSock), "the socket file is removed at the stop");
        Run gone = main("status", "--socket", clientSock.toString());
        assertEquals(1, gone.status());
        assertTrue(gone.err().startsWith("mlvpn: cannot reach the tunnel at " + clientSock), gone.err());
    }

    @Test
    void theSocketIsFoundFromTheOptionTheConfigurationOrTheDefault() throws Exception {
        assertEquals(Path.of("/x.sock"), Main.controlSocket(CommandLine.parse("status", "--socket", "/x.sock")));
        Path f = write("c.properties", "mode=client\ncontrol.unix = ctl/m.sock\n");
        assertEquals(dir.resolve("ctl/m.sock"), Main.controlSocket(CommandLine.parse("links", "-c", f.toString())));
        assertEquals(Path.of("/run/mlvpn/mlvpn.sock"), Main.controlSocket(CommandLine.parse("reload")));
        Path none = write("n.properties", "mode=client\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> Main.controlSocket(CommandLine.parse("status", "-c", none.toString())));
        assertEquals("control.unix", e.key());
        Run r = main("status", "-c", none.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("control.unix: not set"), r.err());
    }

    @Test
    void commandLineForms() throws Exception {
        CommandLine cl = CommandLine.parse("status", "--json", "--socket=/s");
        assertEquals(CommandLine.Command.STATUS, cl.command());
        assertTrue(cl.json());
        assertEquals(Path.of("/s"), cl.socket().orElseThrow());
        assertEquals(CommandLine.Command.RELOAD, CommandLine.parse("reload", "-c", "x.properties").command());
        for (String[] bad : new String[][] {{"status", "--socket", "/s", "-c", "x"}, {"reload", "--json"},
            {"--json", "x.properties"}, {"genkey", "k", "--socket", "/s"}, {"links", "extra"}, {"status", "--check"},
            {"status", "--socket", "/a", "--socket", "/b"}}) {
            assertThrows(UsageException.class, () -> CommandLine.parse(bad), String.join(" ", bad));
        }
    }
}
