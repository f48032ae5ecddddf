package io.mlvpn.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceConfigOffloadsTest {
    @Test
    void offloadsAreOnByDefaultAndTheSwitchIsKeptByEveryCopy() {
        DeviceConfig on = DeviceConfig.builder().build();
        assertTrue(on.offloads());
        DeviceConfig off = on.toBuilder().offloads(false).build();
        assertFalse(off.offloads());
        assertFalse(off.toBuilder().build().offloads(), "toBuilder keeps it");
        assertNotEquals(on, off);
        assertNotEquals(on.hashCode(), off.hashCode());
        assertEquals(off, off.toBuilder().build());
        assertTrue(off.toString().contains("offloads=false"), off.toString());
    }
}
