package io.mlvpn.tun.bsd.internal;

/**
 * Interface ioctls of {@code sys/sockio.h}, issued on an ordinary {@code AF_INET} datagram socket.
 * The flag requests are the same everywhere; the MTU request is not.
 *
 * <pre>
 * all:     #define SIOCSIFFLAGS  _IOW('i', 16, struct ifreq)
 *          #define SIOCGIFFLAGS  _IOWR('i', 17, struct ifreq)
 * FreeBSD: #define SIOCSIFNAME   _IOW('i', 40, struct ifreq)
 *          #define SIOCIFDESTROY _IOW('i', 121, struct ifreq)
 *          #define SIOCSIFMTU    _IOW('i', 52, struct ifreq)
 * macOS:   #define SIOCSIFMTU    _IOW('i', 52, struct ifreq)
 * OpenBSD: #define SIOCSIFMTU    _IOW('i', 127, struct ifreq)
 * </pre>
 */
public final class Sockio {
    /** {@code SIOCSIFFLAGS}. */
    public static final long SIOCSIFFLAGS = Ioccom.iow('i', 16, NetIf.SIZEOF_IFREQ);
    /** {@code SIOCGIFFLAGS}. */
    public static final long SIOCGIFFLAGS = Ioccom.iowr('i', 17, NetIf.SIZEOF_IFREQ);
    /** FreeBSD {@code SIOCSIFNAME}: rename; {@code ifr_data} points to the new name. */
    public static final long FREEBSD_SIOCSIFNAME = Ioccom.iow('i', 40, NetIf.SIZEOF_IFREQ);
    /** FreeBSD {@code SIOCIFDESTROY}: destroys a cloned interface. */
    public static final long FREEBSD_SIOCIFDESTROY = Ioccom.iow('i', 121, NetIf.SIZEOF_IFREQ);
    /** FreeBSD and macOS {@code SIOCSIFMTU}. */
    public static final long FREEBSD_MACOS_SIOCSIFMTU = Ioccom.iow('i', 52, NetIf.SIZEOF_IFREQ);
    /** OpenBSD {@code SIOCSIFMTU}. */
    public static final long OPENBSD_SIOCSIFMTU = Ioccom.iow('i', 127, NetIf.SIZEOF_IFREQ);

    private Sockio() {
    }

    /** {@code SIOCSIFMTU} of the given system. */
    public static long siocsifmtu(OsFamily os) {
        return os == OsFamily.OPENBSD ? OPENBSD_SIOCSIFMTU : FREEBSD_MACOS_SIOCSIFMTU;
    }
}
