package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityProbeTest {

    /** Scripted native facts; records which paths were checked. */
    private static final class FakeChecks implements AvailabilityProbe.NativeChecks {
        String loadError;
        int accessErrno;
        int utunErrno;
        int euid;
        final List<String> accessed = new ArrayList<>();

        @Override
        public String loadLibc() {
            return loadError;
        }

        @Override
        public int accessReadWrite(String path) {
            accessed.add(path);
            return accessErrno;
        }

        @Override
        public int lookUpUtunControl() {
            return utunErrno;
        }

        @Override
        public int effectiveUserId() {
            return euid;
        }
    }

    private final FakeChecks checks = new FakeChecks();

    @Test
    void freeBsdWithAccessibleCloneDeviceIsAvailable() {
        assertNull(AvailabilityProbe.unavailabilityCause("FreeBSD", 8, checks));
        assertEquals(List.of("/dev/tun"), checks.accessed);
    }

    @Test
    void freeBsdWithoutTheDeviceSaysWhichCallFailedAndHowToFixIt() {
        checks.accessErrno = 2;
        String cause = AvailabilityProbe.unavailabilityCause("FreeBSD", 8, checks);
        assertTrue(cause.startsWith("access(/dev/tun, R_OK|W_OK): ENOENT (errno 2)"), cause);
        assertTrue(cause.contains("kldload if_tuntap"), cause);
    }

    @Test
    void openBsdChecksTunZero() {
        assertNull(AvailabilityProbe.unavailabilityCause("OpenBSD", 8, checks));
        assertEquals(List.of("/dev/tun0"), checks.accessed);
        checks.accessErrno = 13;
        assertTrue(AvailabilityProbe.unavailabilityCause("OpenBSD", 8, checks)
                .startsWith("access(/dev/tun0, R_OK|W_OK): EACCES (errno 13)"));
    }

    @Test
    void macOsNeedsTheUtunControlAndRoot() {
        assertNull(AvailabilityProbe.unavailabilityCause("Mac OS X", 8, checks));
        checks.euid = 501;
        assertEquals("utun needs root (effective uid 501)", AvailabilityProbe.unavailabilityCause("Mac OS X", 8, checks));
        checks.utunErrno = 2;
        assertEquals("ioctl(CTLIOCGINFO, \"com.apple.net.utun_control\"): ENOENT (errno 2)",
                AvailabilityProbe.unavailabilityCause("Mac OS X", 8, checks));
        assertTrue(checks.accessed.isEmpty());
    }

    @Test
    void linuxIsNotServedAndPointsToTheLinuxModule() {
        assertEquals("not a BSD or macOS (os.name=Linux): Linux tun/tap comes from mlvpn-tun-linux",
                AvailabilityProbe.unavailabilityCause("Linux", 8, checks));
        assertTrue(checks.accessed.isEmpty());
    }

    @Test
    void otherSystemsAreNamed() {
        assertEquals("not FreeBSD, OpenBSD or macOS (os.name=Windows 11)",
                AvailabilityProbe.unavailabilityCause("Windows 11", 8, checks));
        assertEquals("not FreeBSD, OpenBSD or macOS (os.name=NetBSD)",
                AvailabilityProbe.unavailabilityCause("NetBSD", 8, checks));
    }

    @Test
    void thirtyTwoBitJvmsAndMissingLibcAreReported() {
        assertEquals("needs a 64-bit JVM (native pointers are 4 bytes)",
                AvailabilityProbe.unavailabilityCause("FreeBSD", 4, checks));
        checks.loadError = "java.lang.UnsatisfiedLinkError: no libc";
        assertEquals("JNA cannot bind libc: java.lang.UnsatisfiedLinkError: no libc",
                AvailabilityProbe.unavailabilityCause("OpenBSD", 8, checks));
    }
}
