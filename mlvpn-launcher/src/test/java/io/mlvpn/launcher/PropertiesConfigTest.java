package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.session.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PropertiesConfigTest {
    @TempDir
    Path dir;

    private Path fixture(String name) {
        return Fixtures.copy(name, dir);
    }

    private ConfigException refused(String name) {
        Path f = fixture(name);
        return assertThrows(ConfigException.class, () -> PropertiesConfig.parse(f), name);
    }

    // --- valid files ---

    @Test
    void fullClientFile() throws Exception {
        LauncherConfig c = PropertiesConfig.parse(fixture("client"));
        TunnelConfig t = c.tunnel();
        assertEquals(Mode.CLIENT, t.mode());
        assertTrue(t.secret().sameAs(Secrets.fromKeyFile(dir.resolve("test.key"))));
        assertEquals(CipherSuite.CHACHA20_POLY1305, t.cipher());
        assertEquals("vpn7", t.interfaceName());
        assertEquals(DeviceType.TUN, t.interfaceType());
        assertEquals(Optional.of(1400), t.interfaceMtu());
        assertEquals(Optional.of("10.8.0.2/30"), t.interfaceAddress());
        assertEquals(Optional.of("10.8.0.1"), t.interfacePeer());
        assertFalse(c.interfaceOffload());
        assertEquals(Duration.ofSeconds(8), t.timeout());
        assertEquals(Duration.ofMillis(500), t.keepaliveInterval());
        assertEquals(Duration.ofSeconds(90), t.rekeyInterval());
        assertEquals(Optional.of(dir.resolve("hooks/updown.sh")), c.statusCommand());
        assertEquals(Duration.ofSeconds(3), c.statusCommandTimeout());
        assertEquals(Map.of("IP4", "10.8.0.2", "IP6", "fd00::2", "IP4_GATEWAY", "10.8.0.1", "IP6_GATEWAY", "fd00::1",
                "IP4_ROUTES", "0.0.0.0/1 128.0.0.0/1", "IP6_ROUTES", ""), c.hookEnvironment());
        assertEquals(dir.resolve("client.properties"), c.source());

        assertEquals(2, t.links().size());
        LinkConfig dsl = t.links().get(0);
        assertEquals("dsl1", dsl.name());
        assertEquals(Optional.of("192.168.1.10"), dsl.bindHost());
        assertEquals(0, dsl.bindPort());
        assertEquals(Optional.of("eth1"), dsl.bindInterface());
        assertEquals(Optional.of("198.51.100.7"), dsl.remoteHost());
        assertEquals(5080, dsl.remotePort());
        assertEquals(1492, dsl.mtu());
        assertEquals(16_000_000L, dsl.uploadBitsPerSecond());
        assertEquals(Optional.of(Duration.ofSeconds(5)), dsl.timeout());
        assertEquals(Optional.of("udp"), dsl.transport());
        assertEquals(8 << 20, dsl.socketBufferBytes());
        LinkConfig lte = t.links().get(1);
        assertEquals("lte", lte.name());
        assertEquals(1_500_000L, lte.uploadBitsPerSecond());
        assertEquals(LinkConfig.DEFAULT_MTU, lte.mtu());
        assertEquals(Optional.empty(), lte.timeout());
        assertEquals(LinkConfig.DEFAULT_SOCKET_BUFFER_BYTES, lte.socketBufferBytes());
    }

    @Test
    void minimalServerFileGetsDefaults() throws Exception {
        LauncherConfig c = PropertiesConfig.parse(fixture("server"));
        TunnelConfig t = c.tunnel();
        assertEquals(Mode.SERVER, t.mode());
        assertEquals(CipherSuite.AES_256_GCM, t.cipher());
        assertEquals("mlvpn0", t.interfaceName());
        assertEquals(DeviceType.TUN, t.interfaceType());
        assertEquals(Optional.empty(), t.interfaceMtu());
        assertEquals(Optional.empty(), t.interfaceAddress());
        assertTrue(c.interfaceOffload(), "offloads on by default");
        assertEquals(TunnelConfig.DEFAULT_TIMEOUT, t.timeout());
        assertEquals(TunnelConfig.DEFAULT_KEEPALIVE_INTERVAL, t.keepaliveInterval());
        assertEquals(TunnelConfig.DEFAULT_REKEY_INTERVAL, t.rekeyInterval());
        assertEquals(Optional.empty(), c.statusCommand());
        assertEquals(LauncherConfig.DEFAULT_STATUS_COMMAND_TIMEOUT, c.statusCommandTimeout());
        assertEquals(LauncherConfig.HOOK_VARIABLES, List.copyOf(c.hookEnvironment().keySet()));
        assertTrue(c.hookEnvironment().values().stream().allMatch(String::isEmpty));
        assertEquals(List.of("dsl1", "lte"), t.links().stream().map(LinkConfig::name).toList());
        assertEquals(5080, t.links().get(0).bindPort());
        assertEquals(Optional.empty(), t.links().get(0).bindHost());
        assertEquals(800_000L, t.links().get(1).uploadBitsPerSecond());
    }

    @Test
    void passwordIsStretchedWithTheConfiguredSalt() throws Exception {
        LauncherConfig c = PropertiesConfig.parse(fixture("password"));
        assertTrue(c.tunnel().secret().sameAs(
                Secrets.fromPassword("correct horse battery staple".toCharArray(), "example.net")));
    }

    @Test
    void linksKeepFileOrderOfFirstAppearance() throws Exception {
        TunnelConfig t = PropertiesConfig.parse(fixture("link-order")).tunnel();
        assertEquals(List.of("zeta", "alpha", "mid"), t.links().stream().map(LinkConfig::name).toList());
        assertEquals(5002, t.link("alpha").orElseThrow().remotePort());
    }

    @Test
    void loadedPropertiesSortLinksByName() throws Exception {
        Properties p = new Properties();
        p.setProperty("mode", "client");
        p.setProperty("key.file", "test.key");
        p.setProperty("link.zeta.remote.host", "192.0.2.1");
        p.setProperty("link.zeta.remote.port", "5001");
        p.setProperty("link.alpha.remote.host", "192.0.2.2");
        p.setProperty("link.alpha.remote.port", "5002");
        fixture("server"); // provides test.key in dir
        LauncherConfig c = PropertiesConfig.parse(p, dir);
        assertEquals(List.of("alpha", "zeta"), c.tunnel().links().stream().map(LinkConfig::name).toList());
        assertEquals(dir, c.source());
    }

    @Test
    void absoluteKeyFileIsNotResolvedAgainstTheConfigDirectory(@TempDir Path other) throws Exception {
        Path key = other.resolve("elsewhere.key");
        Secrets.generateKeyFile(key);
        Path f = dir.resolve("abs.properties");
        Files.writeString(f, "mode=server\nkey.file=" + key + "\nlink.a.bind.port=1\n");
        assertTrue(PropertiesConfig.parse(f).tunnel().secret().sameAs(Secrets.fromKeyFile(key)));
    }

    @Test
    void toStringShowsNoSecret() throws Exception {
        String s = PropertiesConfig.parse(fixture("server")).toString();
        String keyLine = Files.readString(dir.resolve("test.key")).trim();
        assertFalse(s.contains(keyLine), s);
        assertTrue(s.contains("secret=redacted"), s);
    }

    // --- one fixture per reason (STYLE practice 2) ---

    @Test
    void missing() {
        ConfigException e = refused("missing-mode");
        assertEquals("mode", e.key());
        assertEquals(Reason.MISSING, e.reason());
    }

    @Test
    void unknownKeySuggestsTheClosestKey() {
        ConfigException e = refused("unknown-key");
        assertEquals("link.dsl1.bandwith", e.key());
        assertEquals(Reason.UNKNOWN_KEY, e.reason());
        assertTrue(e.getMessage().contains("did you mean link.dsl1.bandwidth?"), e.getMessage());
    }

    @Test
    void invalidNumber() {
        ConfigException e = refused("bad-bandwidth");
        assertEquals("link.dsl1.bandwidth", e.key());
        assertEquals(Reason.INVALID_NUMBER, e.reason());
        assertEquals("fast", e.value());
    }

    @Test
    void outOfRange() {
        ConfigException e = refused("port-out-of-range");
        assertEquals("link.dsl1.remote.port", e.key());
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        assertEquals("70000", e.value());
    }

    @Test
    void invalidValue() {
        ConfigException e = refused("bad-mode");
        assertEquals("mode", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("peer", e.value());
    }

    @Test
    void conflict() {
        ConfigException e = refused("key-and-password");
        assertEquals("password", e.key());
        assertEquals(Reason.CONFLICT, e.reason());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void insecurePermissionsOfAFileHoldingAPassword() throws IOException {
        Path f = fixture("inline-password");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> PropertiesConfig.parse(f));
        assertEquals("password", e.key());
        assertEquals(Reason.INSECURE_PERMISSIONS, e.reason());
        assertTrue(e.getMessage().contains("chmod 600 " + f), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void groupWritableFileHoldingAPasswordIsAlsoRefused() throws IOException {
        Path f = fixture("inline-password");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw--w----"));
        assertEquals(Reason.INSECURE_PERMISSIONS,
                assertThrows(ConfigException.class, () -> PropertiesConfig.parse(f)).reason());
    }

    @Test
    void worldReadableFileWithAKeyFileIsAccepted() throws Exception {
        // Only the key file needs to be private when the config holds no password.
        Path f = fixture("server");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(Mode.SERVER, PropertiesConfig.parse(f).tunnel().mode());
    }

    @Test
    void insecurePermissionsOfTheKeyFile() throws IOException {
        Path f = fixture("server");
        Files.setPosixFilePermissions(dir.resolve("test.key"), PosixFilePermissions.fromString("rw-r-----"));
        ConfigException e = assertThrows(ConfigException.class, () -> PropertiesConfig.parse(f));
        assertEquals("key.file", e.key());
        assertEquals(Reason.INSECURE_PERMISSIONS, e.reason());
    }

    @Test
    void unreadable() {
        ConfigException e = refused("missing-key-file");
        assertEquals("key.file", e.key());
        assertEquals(Reason.UNREADABLE, e.reason());
        assertEquals(dir.resolve("absent.key").toString(), e.value());
    }

    @Test
    void missingConfigFileIsUnreadable() {
        ConfigException e = assertThrows(ConfigException.class, () -> PropertiesConfig.parse(dir.resolve("nope")));
        assertEquals("config", e.key());
        assertEquals(Reason.UNREADABLE, e.reason());
    }

    @Test
    void configFileThatIsNotUtf8IsUnreadable() throws IOException {
        Path f = dir.resolve("latin1.properties");
        Files.write(f, new byte[] {'m', 'o', 'd', 'e', '=', (byte) 0xE9, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> PropertiesConfig.parse(f));
        assertEquals("config", e.key());
        assertEquals(Reason.UNREADABLE, e.reason());
    }

    // --- every other refusal, one fixture each ---

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "no-secret,                        key.file,              MISSING",
        "salt-with-key-file,               key.salt,              CONFLICT",
        "duplicate-key,                    link.dsl1.mtu,         CONFLICT",
        "bad-timeout,                      timeout,               INVALID_NUMBER",
        "short-timeout,                    timeout,               OUT_OF_RANGE",
        "keepalive-not-below-timeout,      keepalive.interval,    CONFLICT",
        "link-timeout-not-above-keepalive, link.dsl1.timeout,     CONFLICT",
        "client-link-without-remote,       link.dsl1.remote.host, MISSING",
        "server-link-without-port,         link.dsl1.bind.port,   MISSING",
        "bad-link-name,                    link.dsl@1,            INVALID_VALUE",
        "bad-cipher,                       cipher,                INVALID_VALUE",
        "bad-interface-type,               interface.type,        INVALID_VALUE",
        "bad-interface-name,               interface.name,        INVALID_VALUE",
        "bad-interface-mtu,                interface.mtu,         INVALID_NUMBER",
        "bad-interface-offload,            interface.offload,     INVALID_VALUE",
        "small-link-mtu,                   link.dsl1.mtu,         OUT_OF_RANGE",
        "empty-value,                      interface.name,        INVALID_VALUE",
        "bad-address,                      interface.address,     INVALID_VALUE",
        "peer-without-address,             interface.peer,        CONFLICT",
        "status-timeout-too-long,          status.command.timeout, OUT_OF_RANGE",
        "no-links,                         link,                  MISSING",
        "mlvpn-key,                        statuscommand,         UNKNOWN_KEY",
        "mlvpn-link-key,                   link.dsl1.bindport,    UNKNOWN_KEY",
        "link-without-setting,             link.dsl1,             UNKNOWN_KEY",
        "fractional-rate,                  link.dsl1.bandwidth,   INVALID_NUMBER",
        "zero-rate,                        link.dsl1.bandwidth,   OUT_OF_RANGE",
        "negative-port,                    link.dsl1.bind.port,   OUT_OF_RANGE",
        "bad-socket-buffer,                link.dsl1.socket.buffer, INVALID_NUMBER",
        "fractional-socket-buffer,         link.dsl1.socket.buffer, INVALID_NUMBER",
        "small-socket-buffer,              link.dsl1.socket.buffer, OUT_OF_RANGE",
        "large-socket-buffer,              link.dsl1.socket.buffer, OUT_OF_RANGE",
        "hook-control-character,           hook.ip4.routes,       INVALID_VALUE",
        "bad-escape,                       config,                INVALID_VALUE",
    })
    void refusedFixture(String fixture, String key, Reason reason) {
        ConfigException e = refused(fixture);
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void mlvpnKeysSuggestOurNames() {
        assertTrue(refused("mlvpn-key").getMessage().contains("did you mean status.command?"));
        assertTrue(refused("mlvpn-link-key").getMessage().contains("did you mean link.dsl1.bind.port?"));
    }

    @Test
    void duplicateKeyNamesBothLines() {
        assertTrue(refused("duplicate-key").getMessage().contains("lines 4 and 5"));
    }

    @Test
    void unrelatedUnknownKeyGetsNoSuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parseText("mode=server\nkey.file=test.key\nfrobnicate=yes\nlink.a.bind.port=1\n"));
        assertEquals("frobnicate", e.key());
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void wordsAreCaseInsensitive() throws Exception {
        TunnelConfig t = parseText("mode=Server\nkey.file=test.key\ncipher=AES-256-GCM\ninterface.type=TAP\n"
                + "link.a.bind.port=1\n").tunnel();
        assertEquals(Mode.SERVER, t.mode());
        assertEquals(CipherSuite.AES_256_GCM, t.cipher());
        assertEquals(DeviceType.TAP, t.interfaceType());
    }

    @Test
    void surroundingWhitespaceIsNotPartOfAValue() throws Exception {
        TunnelConfig t = parseText("mode = server   \nkey.file = test.key \t\nlink.a.bind.port =  5080  \n").tunnel();
        assertEquals(5080, t.links().get(0).bindPort());
    }

    @Test
    void emptyPasswordIsRefusedAsEmptyValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parseText("mode=server\npassword=\nlink.a.bind.port=1\n"));
        assertEquals("password", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
    }

    @Test
    void passwordConfigReportsTheBuildersErrors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parseText("mode=server\npassword=pw\nkeepalive.interval=20s\nlink.a.bind.port=1\n"));
        assertEquals("keepalive.interval", e.key());
        assertEquals(Reason.CONFLICT, e.reason());
        assertNull(e.getCause());
    }

    private LauncherConfig parseText(String text) throws ConfigException, IOException {
        fixture("server"); // provides test.key in dir
        Path f = dir.resolve("inline.properties");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return PropertiesConfig.parse(f);
    }
}
