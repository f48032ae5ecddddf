package io.mlvpn.tun.bsd.internal;

/**
 * Constants of {@code sys/socket.h}. {@code AF_INET6} differs between systems, which is why the
 * address-family header codec is per system.
 *
 * <pre>
 * all:     #define AF_UNIX 1      #define AF_INET 2      #define SOCK_DGRAM 2
 * FreeBSD: #define AF_INET6 28
 * OpenBSD: #define AF_INET6 24
 * macOS:   #define AF_INET6 30    #define AF_SYSTEM 32   #define PF_SYSTEM AF_SYSTEM
 * Linux:   #define AF_INET6 10    (for the tests that run the I/O loop on Linux)
 * </pre>
 */
public final class SysSocket {
    /** {@code AF_UNIX}. */
    public static final int AF_UNIX = 1;
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** macOS {@code AF_SYSTEM}. */
    public static final int AF_SYSTEM = 32;
    /** macOS {@code PF_SYSTEM}. */
    public static final int PF_SYSTEM = AF_SYSTEM;
    /** FreeBSD {@code AF_INET6}. */
    public static final int FREEBSD_AF_INET6 = 28;
    /** OpenBSD {@code AF_INET6}. */
    public static final int OPENBSD_AF_INET6 = 24;
    /** macOS {@code AF_INET6}. */
    public static final int MACOS_AF_INET6 = 30;
    /** Linux {@code AF_INET6}. */
    public static final int LINUX_AF_INET6 = 10;

    private SysSocket() {
    }

    /** {@code AF_INET6} of the given system, or -1 when unknown. */
    public static int afInet6(OsFamily os) {
        switch (os) {
            case FREEBSD:
                return FREEBSD_AF_INET6;
            case OPENBSD:
                return OPENBSD_AF_INET6;
            case MACOS:
                return MACOS_AF_INET6;
            case LINUX:
                return LINUX_AF_INET6;
            default:
                return -1;
        }
    }
}
