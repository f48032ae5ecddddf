package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.core.session.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files under {@code examples/} parse, and the client and server pair up link by link. */
class ExamplesTest {
    @TempDir
    Path dir;

    private LauncherConfig parseExample(String name) throws Exception {
        String examples = System.getProperty("mlvpn.examples.dir");
        assertNotNull(examples, "surefire sets mlvpn.examples.dir");
        Path copy = dir.resolve(name);
        Files.copy(Path.of(examples, name), copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        if (!Files.exists(dir.resolve("mlvpn.key"))) {
            Secrets.generateKeyFile(dir.resolve("mlvpn.key"));
        }
        return PropertiesConfig.parse(copy);
    }

    @Test
    void clientExampleParses() throws Exception {
        LauncherConfig c = parseExample("client.properties");
        assertEquals(Mode.CLIENT, c.tunnel().mode());
        assertEquals(List.of("adsl", "cable", "lte"), c.tunnel().links().stream().map(LinkConfig::name).toList());
        assertEquals(800_000L, c.tunnel().links().get(0).uploadBitsPerSecond());
        assertTrue(c.statusCommand().isPresent());
    }

    @Test
    void serverExampleParses() throws Exception {
        LauncherConfig s = parseExample("server.properties");
        assertEquals(Mode.SERVER, s.tunnel().mode());
        assertEquals(3, s.tunnel().links().size());
    }

    @Test
    void examplesPairUp() throws Exception {
        LauncherConfig c = parseExample("client.properties");
        LauncherConfig s = parseExample("server.properties");
        assertTrue(c.tunnel().secret().sameAs(s.tunnel().secret()));
        assertEquals(c.tunnel().cipher(), s.tunnel().cipher());
        for (LinkConfig cl : c.tunnel().links()) {
            LinkConfig sl = s.tunnel().link(cl.name()).orElseThrow();
            assertEquals(cl.remotePort(), sl.bindPort(), cl.name());
        }
        assertEquals(c.tunnel().interfacePeer().orElseThrow() + "/30", s.tunnel().interfaceAddress().orElseThrow());
    }
}
