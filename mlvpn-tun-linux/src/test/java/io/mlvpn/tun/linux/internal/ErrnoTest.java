package io.mlvpn.tun.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void messageNamesCallErrnoAndText() {
        assertEquals("ioctl(TUNSETIFF, \"mlvpn0\"): EPERM (errno 1): Operation not permitted",
                Errno.message("ioctl(TUNSETIFF, \"mlvpn0\")", 1, "Operation not permitted"));
    }

    @Test
    void messageWithoutTextStopsAtTheNumber() {
        assertEquals("close(7): EBADF (errno 9)", Errno.message("close(7)", 9, null));
    }

    @Test
    void unknownErrnoHasANumericName() {
        assertEquals("errno 4095", Errno.name(4095));
        assertEquals("errno 0", Errno.name(0));
        assertEquals("ENOBUFS", Errno.name(Errno.ENOBUFS));
    }

    @Test
    void exceptionCarriesErrnoAndSystemText() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
        NativeIoException e = Errno.exception("ioctl(TUNSETIFF, \"mlvpn0\")", Errno.EPERM);
        assertEquals(Errno.EPERM, e.errno());
        assertEquals("ioctl(TUNSETIFF, \"mlvpn0\"): EPERM (errno 1): " + LibC.strerror(Errno.EPERM), e.getMessage());
        assertTrue(LibC.strerror(Errno.EPERM).length() > 0);
    }

    @Test
    void aRealFailedCallIsReported() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
        assertEquals(-1, LibC.close(-1));
        NativeIoException e = Errno.lastException("close(-1)");
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().startsWith("close(-1): EBADF (errno 9): "), e.getMessage());
    }
}
