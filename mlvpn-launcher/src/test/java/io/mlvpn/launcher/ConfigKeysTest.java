package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mlvpn.api.config.ConfigException.Reason;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
    @Test
    void typosOfGlobalKeys() {
        assertEquals("mode", ConfigKeys.suggest("mod"));
        assertEquals("mode", ConfigKeys.suggest("Mode"));
        assertEquals("interface.name", ConfigKeys.suggest("interface_name"));
        assertEquals("keepalive.interval", ConfigKeys.suggest("keepalive.intervall"));
        assertEquals("hook.ip4.gateway", ConfigKeys.suggest("hook.ip4.gatway"));
    }

    @Test
    void typosOfLinkKeysKeepTheLinkName() {
        assertEquals("link.dsl1.bandwidth", ConfigKeys.suggest("link.dsl1.bandwith"));
        assertEquals("link.x.remote.host", ConfigKeys.suggest("link.x.remote_host"));
    }

    @Test
    void mlvpnNamesMapToOurs() {
        assertEquals("status.command", ConfigKeys.suggest("statuscommand"));
        assertEquals("interface.type", ConfigKeys.suggest("tuntap"));
        assertEquals("hook.ip4.routes", ConfigKeys.suggest("ip4_routes"));
        assertEquals("interface.mtu", ConfigKeys.suggest("mtu"));
        assertEquals("link.dsl1.bandwidth", ConfigKeys.suggest("link.dsl1.bandwidth_upload"));
        assertEquals("link.dsl1.remote.port", ConfigKeys.suggest("link.dsl1.remoteport"));
    }

    @Test
    void noSuggestionForUnrelatedKeys() {
        assertNull(ConfigKeys.suggest("frobnicate"));
        assertNull(ConfigKeys.suggest("x"));
        assertNull(ConfigKeys.suggest("link.a.colour"));
        assertNull(ConfigKeys.suggest("cleartext_data"));
    }

    @Test
    void unknownKeyErrorNamesTheKey() {
        assertEquals("timout: unknown key; did you mean timeout?", ConfigKeys.unknown("timout").getMessage());
        assertEquals(Reason.UNKNOWN_KEY, ConfigKeys.unknown("timout").reason());
        assertEquals("link.a: unknown key; link keys are link.NAME.SETTING", ConfigKeys.unknown("link.a").getMessage());
    }

    @Test
    void distance() {
        assertEquals(0, ConfigKeys.distance("abc", "abc"));
        assertEquals(1, ConfigKeys.distance("abc", "ab"));
        assertEquals(1, ConfigKeys.distance("abc", "abd"));
        assertEquals(3, ConfigKeys.distance("", "abc"));
        assertEquals(3, ConfigKeys.distance("kitten", "sitting"));
    }
}
