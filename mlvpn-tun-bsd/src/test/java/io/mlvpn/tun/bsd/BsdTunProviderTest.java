package io.mlvpn.tun.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.tun.bsd.internal.OsFamily;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BsdTunProviderTest {

    @Test
    void nameAndPriority() {
        BsdTunProvider p = new BsdTunProvider(OsFamily.FREEBSD, true, "available");
        assertEquals("bsd-tun", p.name());
        assertEquals(100, p.priority());
        assertTrue(p.isAvailable());
        assertEquals("available", p.unavailabilityCause());
    }

    @Test
    void supportsTunAndTapOnTheBsdsAndOnlyTunOnMacOs() {
        for (OsFamily os : new OsFamily[] {OsFamily.FREEBSD, OsFamily.OPENBSD}) {
            BsdTunProvider p = new BsdTunProvider(os, true, "available");
            assertTrue(p.supports(DeviceType.TUN), os.name());
            assertTrue(p.supports(DeviceType.TAP), os.name());
        }
        BsdTunProvider mac = new BsdTunProvider(OsFamily.MACOS, true, "available");
        assertTrue(mac.supports(DeviceType.TUN));
        assertFalse(mac.supports(DeviceType.TAP));
    }

    @Test
    void doesNotApplyOnLinuxOrOtherSystemsEvenIfToldAvailable() {
        for (OsFamily os : new OsFamily[] {OsFamily.LINUX, OsFamily.OTHER}) {
            BsdTunProvider p = new BsdTunProvider(os, true, "not a BSD");
            assertFalse(p.isAvailable(), os.name());
            assertFalse(p.supports(DeviceType.TUN), os.name());
            assertFalse(p.supports(DeviceType.TAP), os.name());
            assertEquals("not a BSD", p.unavailabilityCause());
        }
    }

    @Test
    void openingWhenUnavailableFailsWithTheCause() {
        BsdTunProvider p = new BsdTunProvider(OsFamily.FREEBSD, false, "access(/dev/tun, R_OK|W_OK): EACCES (errno 13)");
        IOException e = assertThrows(IOException.class, () -> p.open(DeviceConfig.builder().build()));
        assertEquals("bsd-tun unavailable: access(/dev/tun, R_OK|W_OK): EACCES (errno 13)", e.getMessage());
    }

    @Test
    void openingTapOnMacOsFailsBeforeAnyNativeCall() {
        BsdTunProvider p = new BsdTunProvider(OsFamily.MACOS, true, "available");
        IOException e = assertThrows(IOException.class,
                () -> p.open(DeviceConfig.builder().type(DeviceType.TAP).build()));
        assertEquals("bsd-tun cannot open a tap device on macOS", e.getMessage());
    }

    @Test
    void serviceLoaderFindsTheProviderAndItReportsThisMachine() {
        List<DeviceProvider> found = new ArrayList<>();
        for (DeviceProvider p : ServiceLoader.load(DeviceProvider.class, BsdTunProviderTest.class.getClassLoader())) {
            found.add(p);
        }
        DeviceProvider bsd = found.stream().filter(p -> p.name().equals("bsd-tun")).findFirst().orElseThrow();
        assertTrue(bsd instanceof BsdTunProvider);
        assertEquals(BsdTun.isAvailable(), bsd.isAvailable());
        assertEquals(BsdTun.unavailabilityCause(), bsd.unavailabilityCause());
        if (OsFamily.current() == OsFamily.LINUX) {
            assertFalse(bsd.isAvailable());
            assertTrue(bsd.unavailabilityCause().startsWith("not a BSD or macOS (os.name=Linux)"),
                    bsd.unavailabilityCause());
            assertThrows(UnsupportedOperationException.class, BsdTun::ensureAvailability);
        }
    }
}
