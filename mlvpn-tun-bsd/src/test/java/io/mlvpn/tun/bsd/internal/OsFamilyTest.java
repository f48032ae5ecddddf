package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OsFamilyTest {

    @Test
    void mapsTheOsNamesTheJdkReports() {
        assertEquals(OsFamily.FREEBSD, OsFamily.of("FreeBSD"));
        assertEquals(OsFamily.OPENBSD, OsFamily.of("OpenBSD"));
        assertEquals(OsFamily.MACOS, OsFamily.of("Mac OS X"));
        assertEquals(OsFamily.MACOS, OsFamily.of("Darwin"));
        assertEquals(OsFamily.LINUX, OsFamily.of("Linux"));
    }

    @Test
    void unknownAndRelatedButUnservedSystemsAreOther() {
        assertEquals(OsFamily.OTHER, OsFamily.of("NetBSD"));
        assertEquals(OsFamily.OTHER, OsFamily.of("GNU/kFreeBSD"));
        assertEquals(OsFamily.OTHER, OsFamily.of("Windows 11"));
        assertEquals(OsFamily.OTHER, OsFamily.of("SunOS"));
        assertEquals(OsFamily.OTHER, OsFamily.of(""));
    }

    @Test
    void ignoresCaseAndSurroundingSpace() {
        assertEquals(OsFamily.FREEBSD, OsFamily.of(" freebsd "));
        assertEquals(OsFamily.OPENBSD, OsFamily.of("OPENBSD"));
    }

    @Test
    void onlyTheBsdsAndMacOsAreServed() {
        assertTrue(OsFamily.FREEBSD.isServed());
        assertTrue(OsFamily.OPENBSD.isServed());
        assertTrue(OsFamily.MACOS.isServed());
        assertFalse(OsFamily.LINUX.isServed());
        assertFalse(OsFamily.OTHER.isServed());
    }

    @Test
    void currentFollowsTheOsNameProperty() {
        assertEquals(OsFamily.of(System.getProperty("os.name")), OsFamily.current());
    }
}
