package io.mlvpn.tun.bsd.internal;

/**
 * Constants of {@code net/if.h}; the values are the same on FreeBSD, OpenBSD and macOS.
 *
 * <pre>
 * #define IFNAMSIZ        16
 * #define IFF_UP          0x1
 * #define IFF_BROADCAST   0x2
 * #define IFF_POINTOPOINT 0x10
 * #define IFF_RUNNING     0x40     (FreeBSD: IFF_DRV_RUNNING, kernel-only)
 * #define IFF_MULTICAST   0x8000
 * </pre>
 */
public final class NetIf {
    /** {@code IFNAMSIZ}: interface name buffer, NUL included. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit: 16-byte name plus 16-byte union. */
    public static final int SIZEOF_IFREQ = 32;
    /** {@code IFF_UP}. */
    public static final int IFF_UP = 0x1;
    /** {@code IFF_BROADCAST}. */
    public static final int IFF_BROADCAST = 0x2;
    /** {@code IFF_POINTOPOINT}. */
    public static final int IFF_POINTOPOINT = 0x10;
    /** {@code IFF_MULTICAST}. */
    public static final int IFF_MULTICAST = 0x8000;

    private NetIf() {
    }
}
