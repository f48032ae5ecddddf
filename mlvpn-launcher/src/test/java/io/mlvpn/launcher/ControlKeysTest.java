package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.launcher.control.ControlSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control.* and user keys: one fixture per error, each asserting the key. */
class ControlKeysTest {
    @TempDir
    Path dir;

    private ConfigException error(String fixture) {
        return assertThrows(ConfigException.class, () -> PropertiesConfig.parse(Fixtures.copy(fixture, dir)));
    }

    @Test
    void allKeysTogether() throws Exception {
        LauncherConfig c = PropertiesConfig.parse(Fixtures.copy("control", dir));
        ControlSettings s = c.control();
        assertEquals(5090, s.http().orElseThrow().getPort());
        assertTrue(s.http().get().getAddress().isLoopbackAddress());
        assertEquals(dir.resolve("run/mlvpn.sock"), s.unix().orElseThrow());
        assertTrue(s.token().orElseThrow().matches("abcdefghijklmnop0123456789"));
        assertEquals("mlvpn", c.user().orElseThrow());
        assertFalse(c.toString().contains("abcdefghijklmnop"), "the token is never shown: " + c);
    }

    @Test
    void withoutTheKeysNothingListens() throws Exception {
        LauncherConfig c = PropertiesConfig.parse(Fixtures.copy("server", dir));
        assertEquals(ControlSettings.NONE, c.control());
        assertTrue(c.user().isEmpty());
    }

    @Test
    void httpMustBeLoopback() {
        ConfigException e = error("control-not-loopback");
        assertEquals("control.http", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
    }

    @Test
    void aShortTokenIsRefusedWithoutQuotingIt() {
        ConfigException e = error("control-short-token");
        assertEquals("control.token", e.key());
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        assertFalse(e.getMessage().contains("\"short\""), e.getMessage());
    }

    @Test
    void aTokenNeedsTheHttpEndpoint() {
        ConfigException e = error("control-token-without-http");
        assertEquals("control.token", e.key());
        assertEquals(Reason.CONFLICT, e.reason());
    }

    @Test
    void aTokenInAFileOthersCanReadIsRefused() throws Exception {
        Path f = Fixtures.copy("control", dir);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        ConfigException e = assertThrows(ConfigException.class, () -> PropertiesConfig.parse(f));
        assertEquals("control.token", e.key());
        assertEquals(Reason.INSECURE_PERMISSIONS, e.reason());
    }

    @Test
    void aBadUserName() {
        ConfigException e = error("bad-user");
        assertEquals("user", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
    }

    @Test
    void mlvpnControlKeysAreSuggested() {
        assertEquals("control.unix", ConfigKeys.suggest("control_unix_path"));
        assertEquals("control.http", ConfigKeys.suggest("control_bind_port"));
    }
}
