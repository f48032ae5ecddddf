package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.system.ProcessServicesProvider;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.api.transport.TransportProvider;
import io.mlvpn.tun.linux.internal.NativeSupport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxTunProbeTest {

    @Test
    void causeAndEnsureAgreeWithAvailability() {
        if (LinuxTun.isAvailable()) {
            assertEquals("available", LinuxTun.unavailabilityCause());
            assertTrue(assertDoesNotThrow());
        } else {
            assertFalse(LinuxTun.unavailabilityCause().isEmpty());
            IOException e = assertThrows(IOException.class, LinuxTun::ensureAvailability);
            assertTrue(e.getMessage().contains(LinuxTun.unavailabilityCause()));
        }
    }

    private static boolean assertDoesNotThrow() {
        try {
            LinuxTun.ensureAvailability();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void availableAsRoot() {
        assumeTrue(TestSupport.isRoot(), "needs root");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "no /dev/net/tun on this machine");
        assertTrue(LinuxTun.isAvailable(), LinuxTun.unavailabilityCause());
    }

    @Test
    void missingCloneDeviceIsNamed() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
        assertEquals("no /dev/net/nonexistent-tun (the tun module is not loaded: modprobe tun)",
                LinuxTun.probe("/dev/net/nonexistent-tun", Path.of("/proc/thread-self/status")));
    }

    @Test
    void unopenableCloneDeviceGivesTheOpenError() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
        // A directory exists but cannot be opened read-write.
        String cause = LinuxTun.probe("/proc", Path.of("/proc/thread-self/status"));
        assertTrue(cause.startsWith("open(/proc): EISDIR (errno 21): "), cause);
    }

    @Test
    void missingCapabilityIsNamed(@TempDir Path dir) throws IOException {
        assumeTrue(TestSupport.isRoot() && Files.exists(Path.of("/dev/net/tun")), "needs root and /dev/net/tun");
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nCapPrm:\t000001ffffffffff\nCapEff:\t0000000000000000\n");
        assertTrue(LinuxTun.probe("/dev/net/tun", status).startsWith("no CAP_NET_ADMIN"));
    }

    @Test
    void effectiveCapabilityParsing() {
        assertTrue(LinuxTun.hasEffectiveCapability("CapInh:\t0\nCapEff:\t0000000000001000\n", 12));
        assertFalse(LinuxTun.hasEffectiveCapability("CapEff:\t0000000000000fff\n", 12));
        assertTrue(LinuxTun.hasEffectiveCapability("CapEff:\t000001fffeffffff", 12));
        assertFalse(LinuxTun.hasEffectiveCapability("Name:\tjava\n", 12));
    }

    @Test
    void providersAreRegistered() throws Exception {
        DeviceProvider device = ServiceLoader.load(DeviceProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("linux-tun")).findFirst().orElseThrow();
        assertEquals(100, device.priority());
        assertTrue(device.supports(DeviceType.TUN));
        assertTrue(device.supports(DeviceType.TAP));
        assertEquals(LinuxTun.isAvailable(), device.isAvailable());

        TransportProvider transport = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("linux-udp")).findFirst().orElseThrow();
        // Above the portable DatagramChannel provider (0): the default on Linux.
        assertEquals(10, transport.priority());
        assertTrue(transport.supports(TransportConfig.builder(new InetSocketAddress(0)).bindInterface("eth0").build()));

        ProcessServicesProvider process = ServiceLoader.load(ProcessServicesProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("linux")).findFirst().orElseThrow();
        assertEquals(NativeSupport.isAvailable(), process.isAvailable());
        assertEquals(NativeSupport.unavailabilityCause(), process.unavailabilityCause());
    }
}
