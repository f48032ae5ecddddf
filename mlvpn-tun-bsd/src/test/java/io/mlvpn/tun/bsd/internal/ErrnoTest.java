package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void messageNamesCallErrnoNameAndNumber() {
        assertEquals("ioctl(TUNSIFHEAD, \"tun0\"): EPERM (errno 1)",
                Errno.exception(OsFamily.FREEBSD, "ioctl(TUNSIFHEAD, \"tun0\")", 1).getMessage());
        assertEquals("open(/dev/tun, O_RDWR): EACCES (errno 13)",
                Errno.exception(OsFamily.OPENBSD, "open(/dev/tun, O_RDWR)", 13).getMessage());
    }

    @Test
    void bsdNumbersAboveThirtyFourDifferFromLinux() {
        assertEquals("EAGAIN", Errno.name(OsFamily.MACOS, 35));
        assertEquals("EADDRINUSE", Errno.name(OsFamily.FREEBSD, 48));
        assertEquals("ENOBUFS", Errno.name(OsFamily.OPENBSD, Errno.BSD_ENOBUFS));
        assertEquals("EDEADLK", Errno.name(OsFamily.FREEBSD, 11));
        assertEquals("EAGAIN", Errno.name(OsFamily.LINUX, 11));
        assertEquals("ENOBUFS", Errno.name(OsFamily.LINUX, Errno.LINUX_ENOBUFS));
        assertEquals(35, Errno.eagain(OsFamily.FREEBSD));
        assertEquals(11, Errno.eagain(OsFamily.LINUX));
    }

    @Test
    void unknownNumbersStillShowTheNumber() {
        assertEquals("read(\"tun0\"): unknown error (errno 999)",
                Errno.exception(OsFamily.FREEBSD, "read(\"tun0\")", 999).getMessage());
        assertEquals("unknown error", Errno.name(OsFamily.LINUX, 48));
        assertEquals("unknown error", Errno.name(OsFamily.MACOS, 0));
    }
}
