package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Request numbers computed from the {@code _IO}/{@code _IOR}/{@code _IOW}/{@code _IOWR} encoding
 * against the values the systems' own headers compile to (as published in golang.org/x/sys
 * {@code zerrors_*} tables, Apple sample code and FreeBSD ports).
 */
class IoccomTest {

    @Test
    void encodesDirectionLengthGroupAndNumber() {
        assertEquals(0x2000745fL, Ioccom.io('t', 95));
        assertEquals(0x40047461L, Ioccom.ior('t', 97, 4));
        assertEquals(0x80047460L, Ioccom.iow('t', 96, 4));
        assertEquals(0xc0206911L, Ioccom.iowr('i', 17, 32));
    }

    @Test
    void freeBsdTunAndTapRequests() {
        // FreeBSD net/if_tun.h, net/if_tap.h
        assertEquals(0x8004745eL, FreeBsdIfTun.TUNSIFMODE);
        assertEquals(0x2000745fL, FreeBsdIfTun.TUNSIFPID);
        assertEquals(0x80047460L, FreeBsdIfTun.TUNSIFHEAD);
        assertEquals(0x40047461L, FreeBsdIfTun.TUNGIFHEAD);
        assertEquals(0x4020745dL, FreeBsdIfTun.TUNGIFNAME);
        assertEquals(0x4020745dL, FreeBsdIfTap.TAPGIFNAME);
    }

    @Test
    void openBsdTunRequests() {
        // OpenBSD net/if_tun.h: struct tuninfo is 12 bytes
        assertEquals(0x800c745bL, OpenBsdIfTun.TUNSIFINFO);
        assertEquals(0x400c745cL, OpenBsdIfTun.TUNGIFINFO);
        assertEquals(0x8004745dL, OpenBsdIfTun.TUNSIFMODE);
    }

    @Test
    void socketInterfaceRequests() {
        // sys/sockio.h of each system
        assertEquals(0x80206910L, Sockio.SIOCSIFFLAGS);
        assertEquals(0xc0206911L, Sockio.SIOCGIFFLAGS);
        assertEquals(0x80206928L, Sockio.FREEBSD_SIOCSIFNAME);
        assertEquals(0x80206979L, Sockio.FREEBSD_SIOCIFDESTROY);
        assertEquals(0x80206934L, Sockio.siocsifmtu(OsFamily.FREEBSD));
        assertEquals(0x80206934L, Sockio.siocsifmtu(OsFamily.MACOS));
        assertEquals(0x8020697fL, Sockio.siocsifmtu(OsFamily.OPENBSD));
    }

    @Test
    void macOsKernelControlRequest() {
        // macOS sys/kern_control.h: _IOWR('N', 3, struct ctl_info), struct ctl_info is 100 bytes
        assertEquals(0xc0644e03L, KernControl.CTLIOCGINFO);
    }

    @Test
    void requestsUseTheStructureSizesJnaComputes() {
        assertEquals(FreeBsdIfTun.TUNGIFNAME, Ioccom.ior('t', 93, new Ifreq().size()));
        assertEquals(KernControl.CTLIOCGINFO, Ioccom.iowr('N', 3, new CtlInfo().size()));
    }

    @Test
    void rejectsLengthsAndNumbersOutsideTheEncoding() {
        assertThrows(IllegalArgumentException.class, () -> Ioccom.iow('t', 1, 0x2000));
        assertThrows(IllegalArgumentException.class, () -> Ioccom.iow('t', 256, 4));
        assertThrows(IllegalArgumentException.class, () -> Ioccom.iow('t', 1, -1));
    }
}
