package io.mlvpn.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceProvidersTest {
    private final FakeDeviceProvider linuxTun = FakeDeviceProvider.available("linux-tun", 100, DeviceType.TUN, DeviceType.TAP);
    private final FakeDeviceProvider bsdTun = FakeDeviceProvider.available("bsd-tun", 100, DeviceType.TUN);
    private final FakeDeviceProvider memory = FakeDeviceProvider.available("memory", 0, DeviceType.TUN, DeviceType.TAP);

    @Test
    void highestPriorityAvailableProviderWins() throws IOException {
        assertSame(linuxTun, DeviceProviders.select(List.of(memory, linuxTun), DeviceType.TUN, null));
    }

    @Test
    void equalPrioritiesAreOrderedByName() throws IOException {
        assertSame(bsdTun, DeviceProviders.select(List.of(linuxTun, bsdTun), DeviceType.TUN, null));
    }

    @Test
    void unavailableAndUnsupportingProvidersAreSkipped() throws IOException {
        FakeDeviceProvider broken = FakeDeviceProvider.unavailable("aaa", 200, "not here");
        assertSame(linuxTun, DeviceProviders.select(List.of(broken, bsdTun, linuxTun), DeviceType.TAP, null));
    }

    @Test
    void explicitNameWinsOverPriority() throws IOException {
        assertSame(memory, DeviceProviders.select(List.of(linuxTun, memory), DeviceType.TUN, "memory"));
    }

    @Test
    void explicitUnknownNameListsKnownProviders() {
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(List.of(memory, linuxTun), DeviceType.TUN, "wintun"));
        assertEquals("no device provider named \"wintun\"; known: linux-tun, memory", e.getMessage());
    }

    @Test
    void explicitNameWithNoProvidersSaysSo() {
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(List.of(), DeviceType.TUN, "linux-tun"));
        assertEquals("no device provider named \"linux-tun\"; no providers on the class path", e.getMessage());
    }

    @Test
    void explicitUnavailableProviderGivesItsCause() {
        DeviceProvider down = FakeDeviceProvider.unavailable("linux-tun", 100, "/dev/net/tun: EACCES");
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(List.of(down, memory), DeviceType.TUN, "linux-tun"));
        assertEquals("device provider linux-tun cannot open a TUN device: /dev/net/tun: EACCES", e.getMessage());
    }

    @Test
    void explicitProviderWithoutTheTypeIsRefused() {
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(List.of(bsdTun, memory), DeviceType.TAP, "bsd-tun"));
        assertEquals("device provider bsd-tun cannot open a TAP device: does not support TAP", e.getMessage());
    }

    @Test
    void noneFitsListsEveryProviderAndWhy() {
        List<DeviceProvider> providers = List.of(
                FakeDeviceProvider.unavailable("bsd-tun", 90, "not a BSD"),
                FakeDeviceProvider.unavailable("linux-tun", 100, "/dev/net/tun: EACCES"));
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(providers, DeviceType.TUN, null));
        assertEquals("no device provider for TUN: linux-tun: /dev/net/tun: EACCES; bsd-tun: not a BSD", e.getMessage());
    }

    @Test
    void noneFitsNamesAnUnsupportedType() {
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(List.of(bsdTun), DeviceType.TAP, null));
        assertEquals("no device provider for TAP: bsd-tun: does not support TAP", e.getMessage());
    }

    @Test
    void emptyListSaysNoProviders() {
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(List.of(), DeviceType.TUN, null));
        assertEquals("no device provider for TUN: no providers on the class path", e.getMessage());
    }

    @Test
    void aProviderThatThrowsIsReportedNotFatal() throws IOException {
        DeviceProvider throwing = new FakeDeviceProvider("flaky", 500, null, DeviceType.TUN) {
            @Override
            public boolean isAvailable() {
                throw new IllegalStateException("probe crashed");
            }
        };
        assertSame(memory, DeviceProviders.select(List.of(throwing, memory), DeviceType.TUN, null));
        IOException e = assertThrows(IOException.class,
                () -> DeviceProviders.select(List.of(throwing), DeviceType.TUN, null));
        assertEquals("no device provider for TUN: flaky: failed: IllegalStateException: probe crashed", e.getMessage());
    }

    @Test
    void openSelectsAndOpens() throws IOException {
        DeviceConfig config = DeviceConfig.builder().name("mem7").type(DeviceType.TAP).build();
        try (PacketDevice device = DeviceProviders.open(List.of(bsdTun, memory), config, null)) {
            assertEquals("mem7", device.name());
            assertEquals(DeviceType.TAP, device.type());
        }
    }

    @Test
    void openHandsOverADeviceThatRefusedOffloads() throws IOException {
        String refusal = "the kernel refused offloads (ioctl(TUNSETOFFLOAD, ...): EINVAL); using a plain device";
        DeviceProvider oldKernel = new FakeDeviceProvider("old-kernel", 100, null, DeviceType.TUN) {
            @Override
            public PacketDevice open(DeviceConfig config) {
                return new RefusingDevice(super.open(config), refusal);
            }
        };
        DeviceConfig config = DeviceConfig.builder().name("mem8").type(DeviceType.TUN).build();
        // Twice: the first refusal in the process is logged at INFO, later ones at DEBUG.
        for (int i = 0; i < 2; i++) {
            try (PacketDevice device = DeviceProviders.open(oldKernel, config)) {
                assertEquals("mem8", device.name());
                assertEquals(Optional.of(refusal), device.offloadsRefused());
            }
        }
    }

    /** A device that reports refused offloads, otherwise the one it wraps. */
    private static final class RefusingDevice implements PacketDevice {
        private final PacketDevice device;
        private final String refusal;

        RefusingDevice(PacketDevice device, String refusal) {
            this.device = device;
            this.refusal = refusal;
        }

        @Override
        public String name() {
            return device.name();
        }

        @Override
        public DeviceType type() {
            return device.type();
        }

        @Override
        public int mtu() {
            return device.mtu();
        }

        @Override
        public int read(PacketBatch batch) throws IOException {
            return device.read(batch);
        }

        @Override
        public void write(PacketBatch batch) throws IOException {
            device.write(batch);
        }

        @Override
        public Optional<String> offloadsRefused() {
            return Optional.of(refusal);
        }

        @Override
        public void close() throws IOException {
            device.close();
        }
    }

    @Test
    void loadSortsProvidersAndKeepsFailuresAsUnavailable(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        String prefix = ServiceLoadedDeviceProviders.class.getName() + "$";
        Files.write(services.resolve(DeviceProvider.class.getName()), List.of(
                prefix + "Low", prefix + "Broken", "io.mlvpn.nowhere.MissingProvider", prefix + "High", prefix + "Flaky"),
                StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            List<DeviceProvider> providers = DeviceProviders.load(loader);

            List<String> names = new ArrayList<>();
            for (DeviceProvider p : providers) {
                names.add(p.name());
            }
            assertEquals(5, providers.size(), names.toString());
            assertEquals(List.of("flaky", "high", "low"), names.subList(0, 3));
            DeviceProvider broken = find(providers, prefix + "Broken");
            assertFalse(broken.isAvailable());
            assertTrue(broken.unavailabilityCause().contains("no native library"), broken.unavailabilityCause());
            DeviceProvider missing = providers.get(3) == broken ? providers.get(4) : providers.get(3);
            assertFalse(missing.isAvailable());
            assertTrue(missing.unavailabilityCause().contains("MissingProvider"), missing.unavailabilityCause());

            IOException e = assertThrows(IOException.class, () -> DeviceProviders.select(providers, DeviceType.TUN,
                    prefix + "Broken"));
            assertTrue(e.getMessage().contains("no native library"), e.getMessage());
            assertSame(providers.get(1), DeviceProviders.select(providers, DeviceType.TUN, null));
            IOException flaky = assertThrows(IOException.class,
                    () -> DeviceProviders.select(providers, DeviceType.TUN, "flaky"));
            assertEquals("device provider flaky cannot open a TUN device: failed: IllegalStateException: probe crashed",
                    flaky.getMessage());
        }
    }

    @Test
    void loadWithoutServiceFilesGivesEmptyList(@TempDir Path dir) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertEquals(List.of(), DeviceProviders.load(loader));
        }
    }

    private static DeviceProvider find(List<DeviceProvider> providers, String name) {
        for (DeviceProvider p : providers) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + name + " in " + providers);
    }
}
