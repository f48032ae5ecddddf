package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LauncherConfigTest {
    private static TunnelConfig tunnel() throws ConfigException {
        byte[] key = new byte[PreSharedKey.LENGTH];
        key[0] = 42;
        return TunnelConfig.builder().mode(Mode.SERVER).secret(PreSharedKey.of(key))
                .addLink(LinkConfig.builder("a").bindPort(5080).build()).build();
    }

    private static LauncherConfig.Builder builder() throws ConfigException {
        return LauncherConfig.builder().tunnel(tunnel()).source(Path.of("/etc/mlvpn/server.properties"));
    }

    @Test
    void defaults() throws ConfigException {
        LauncherConfig c = builder().build();
        assertEquals(Optional.empty(), c.statusCommand());
        assertEquals(Duration.ofSeconds(10), c.statusCommandTimeout());
        assertEquals(LauncherConfig.HOOK_VARIABLES, List.copyOf(c.hookEnvironment().keySet()));
        assertTrue(c.hookEnvironment().values().stream().allMatch(String::isEmpty));
    }

    @Test
    void hookEnvironmentIsUnmodifiableAndCopied() throws ConfigException {
        LauncherConfig.Builder b = builder().hookVariable("IP4", "10.0.0.1");
        LauncherConfig c = b.build();
        b.hookVariable("IP4", "10.0.0.2");
        assertEquals("10.0.0.1", c.hookEnvironment().get("IP4"));
        assertThrows(UnsupportedOperationException.class, () -> c.hookEnvironment().put("IP4", "x"));
    }

    @Test
    void onlyTheSixVariablesAreAccepted() throws ConfigException {
        LauncherConfig.Builder b = builder();
        assertThrows(IllegalArgumentException.class, () -> b.hookVariable("DEVICE", "tun0"));
        assertThrows(IllegalArgumentException.class, () -> b.hookVariable("PATH", "/bin"));
    }

    @Test
    void statusCommandTimeoutRange() throws ConfigException {
        assertEquals(Duration.ofSeconds(1),
                builder().statusCommandTimeout(Duration.ofSeconds(1)).build().statusCommandTimeout());
        ConfigException e = assertThrows(ConfigException.class,
                () -> builder().statusCommandTimeout(Duration.ofMillis(999)).build());
        assertEquals("status.command.timeout", e.key());
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        assertThrows(ConfigException.class, () -> builder().statusCommandTimeout(Duration.ofMinutes(11)).build());
    }

    @Test
    void tunnelAndSourceAreRequired() throws ConfigException {
        TunnelConfig t = tunnel();
        assertThrows(IllegalStateException.class, () -> LauncherConfig.builder().tunnel(t).build());
        assertThrows(IllegalStateException.class, () -> LauncherConfig.builder().source(Path.of("x")).build());
    }

    @Test
    void toBuilderRoundTripsAndEqualsCompares() throws ConfigException {
        LauncherConfig c = builder().statusCommand(Path.of("/etc/mlvpn/updown.sh")).hookVariable("IP6", "fd00::1")
                .build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
        assertNotEquals(c, c.toBuilder().statusCommand(null).build());
    }

    @Test
    void toStringHasNoSecret() throws ConfigException {
        String s = builder().build().toString();
        assertTrue(s.contains("secret=redacted"), s);
        assertFalse(s.contains("42"), s);
    }
}
