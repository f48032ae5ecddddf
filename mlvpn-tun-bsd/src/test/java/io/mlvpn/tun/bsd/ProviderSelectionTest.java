package io.mlvpn.tun.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.tun.bsd.internal.AvailabilityProbe;
import io.mlvpn.tun.bsd.internal.OsFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Provider selection for each {@code os.name}: the BSD provider (its availability from the real
 * probe logic with the native checks all passing) next to a stand-in for the Linux provider, chosen
 * by the rule {@link DeviceProvider} documents. Core's selector is not a dependency of this module,
 * so {@link #select} restates that rule.
 */
class ProviderSelectionTest {

    /** Native checks that all pass: the machine is set up right. */
    private static final AvailabilityProbe.NativeChecks ALL_PASS = new AvailabilityProbe.NativeChecks() {
        @Override
        public String loadLibc() {
            return null;
        }

        @Override
        public int accessReadWrite(String path) {
            return 0;
        }

        @Override
        public int lookUpUtunControl() {
            return 0;
        }

        @Override
        public int effectiveUserId() {
            return 0;
        }
    };

    /** Stands in for mlvpn-tun-linux's provider: available on Linux only. */
    private static final class LinuxStandIn implements DeviceProvider {
        private final boolean linux;

        LinuxStandIn(String osName) {
            this.linux = OsFamily.of(osName) == OsFamily.LINUX;
        }

        @Override
        public String name() {
            return "linux-tun";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public boolean isAvailable() {
            return linux;
        }

        @Override
        public String unavailabilityCause() {
            return linux ? "available" : "not Linux";
        }

        @Override
        public boolean supports(DeviceType type) {
            return linux;
        }

        @Override
        public PacketDevice open(DeviceConfig config) {
            throw new UnsupportedOperationException("stand-in");
        }
    }

    private static List<DeviceProvider> providersOn(String osName) {
        String cause = AvailabilityProbe.unavailabilityCause(osName, 8, ALL_PASS);
        List<DeviceProvider> providers = new ArrayList<>();
        providers.add(new LinuxStandIn(osName));
        providers.add(new BsdTunProvider(OsFamily.of(osName), cause == null, cause));
        return providers;
    }

    /** The documented rule: available, supports the type, highest priority, then name. */
    private static String select(List<DeviceProvider> providers, DeviceType type) {
        List<DeviceProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(DeviceProvider::priority).reversed().thenComparing(DeviceProvider::name));
        StringBuilder tried = new StringBuilder();
        for (DeviceProvider p : sorted) {
            if (p.isAvailable() && p.supports(type)) {
                return p.name();
            }
            tried.append(tried.length() == 0 ? "" : "; ").append(p.name()).append(": ")
                    .append(p.isAvailable() ? "no " + type.configName() + " support" : p.unavailabilityCause());
        }
        return "no device provider for " + type + ": " + tried;
    }

    @Test
    void freeBsdPicksBsdTunForTunAndTap() {
        assertEquals("bsd-tun", select(providersOn("FreeBSD"), DeviceType.TUN));
        assertEquals("bsd-tun", select(providersOn("FreeBSD"), DeviceType.TAP));
    }

    @Test
    void openBsdPicksBsdTunForTunAndTap() {
        assertEquals("bsd-tun", select(providersOn("OpenBSD"), DeviceType.TUN));
        assertEquals("bsd-tun", select(providersOn("OpenBSD"), DeviceType.TAP));
    }

    @Test
    void macOsPicksBsdTunForTunAndExplainsTheMissingTap() {
        assertEquals("bsd-tun", select(providersOn("Mac OS X"), DeviceType.TUN));
        assertEquals("no device provider for TAP: bsd-tun: no tap support; linux-tun: not Linux",
                select(providersOn("Mac OS X"), DeviceType.TAP));
    }

    @Test
    void linuxPicksTheLinuxProviderAndBsdTunSaysItDoesNotApply() {
        assertEquals("linux-tun", select(providersOn("Linux"), DeviceType.TUN));
        List<DeviceProvider> withoutLinux = providersOn("Linux").subList(1, 2);
        assertEquals("no device provider for TUN: bsd-tun: not a BSD or macOS (os.name=Linux): "
                + "Linux tun/tap comes from mlvpn-tun-linux", select(withoutLinux, DeviceType.TUN));
    }

    @Test
    void otherSystemsListEveryProviderTried() {
        assertEquals("no device provider for TUN: bsd-tun: not FreeBSD, OpenBSD or macOS (os.name=Windows 11); "
                + "linux-tun: not Linux", select(providersOn("Windows 11"), DeviceType.TUN));
    }
}
