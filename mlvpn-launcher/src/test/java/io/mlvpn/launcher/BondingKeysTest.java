package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.TunnelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bonding keys: scheduler, reordering, tolerances and fallback links. */
class BondingKeysTest {
    @TempDir
    Path dir;

    private TunnelConfig parse(String extra) throws Exception {
        Path f = Fixtures.copy("server", Files.createTempDirectory(dir, "case"));
        Files.writeString(f, Files.readString(f) + extra);
        return PropertiesConfig.parse(f).tunnel();
    }

    private ConfigException fails(String extra) {
        return assertThrows(ConfigException.class, () -> parse(extra));
    }

    @Test
    void defaultsNeedNoTuning() throws Exception {
        TunnelConfig c = parse("");
        assertEquals("adaptive", c.scheduler());
        assertTrue(c.reorder());
        assertEquals(0, c.reorderBufferPackets());
        assertEquals(20, c.lossTolerancePercent());
        assertEquals(0, c.latencyToleranceMillis());
    }

    @Test
    void everyBondingKeyIsRead() throws Exception {
        TunnelConfig c = parse("scheduler = redundant\nredundant.copies = 3\nreorder = off\n"
                + "reorder.buffer.size = 512\nloss.tolerance = 10%\nlatency.tolerance = 300ms\n");
        assertEquals("redundant", c.scheduler());
        assertEquals(3, c.redundantCopies());
        assertFalse(c.reorder());
        assertEquals(512, c.reorderBufferPackets());
        assertEquals(10, c.lossTolerancePercent());
        assertEquals(300, c.latencyToleranceMillis());
    }

    @Test
    void linkKeysOverrideTheTunnelsTolerances() throws Exception {
        TunnelConfig c = parse("loss.tolerance = 30\n");
        String name = c.links().get(0).name();
        c = parse("loss.tolerance = 30\nlink." + name + ".fallback.only = yes\nlink." + name
                + ".loss.tolerance = 5\nlink." + name + ".latency.tolerance = 1s\n");
        LinkConfig l = c.links().get(0);
        assertTrue(l.fallbackOnly());
        assertEquals(5, c.lossToleranceOf(l));
        assertEquals(1000, c.latencyToleranceOf(l));
    }

    @Test
    void badValuesNameTheKey() {
        ConfigException e = fails("scheduler = fastest\n");
        assertEquals("scheduler", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
        e = fails("reorder = maybe\n");
        assertEquals("reorder", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
        e = fails("loss.tolerance = 120\n");
        assertEquals("loss.tolerance", e.key());
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        e = fails("redundant.copies = 1\n");
        assertEquals("redundant.copies", e.key());
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        e = fails("latency.tolerance = soon\n");
        assertEquals("latency.tolerance", e.key());
        assertEquals(Reason.INVALID_NUMBER, e.reason());
        e = fails("reorder.buffer.size = 8\n");
        assertEquals("reorder.buffer.size", e.key());
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
    }

    @Test
    void mlvpnSpellingsAreSuggested() {
        ConfigException e = fails("loss_tolerence = 10\n");
        assertEquals(Reason.UNKNOWN_KEY, e.reason());
        assertTrue(e.getMessage().contains("loss.tolerance"), e.getMessage());
    }
}
