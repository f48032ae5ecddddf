package io.mlvpn.tun.linux.internal;

/** Interface ioctls of {@code <linux/sockios.h>} and the flags of {@code <net/if.h>}. */
public final class Sockios {
    /** Get interface flags. */
    public static final long SIOCGIFFLAGS = 0x8913;
    /** Set interface flags. */
    public static final long SIOCSIFFLAGS = 0x8914;
    /** Set the interface address (IPv4 ifreq, or in6_ifreq on an AF_INET6 socket). */
    public static final long SIOCSIFADDR = 0x8916;
    /** Set the point-to-point peer address. */
    public static final long SIOCSIFDSTADDR = 0x8918;
    /** Set the IPv4 netmask. */
    public static final long SIOCSIFNETMASK = 0x891c;
    /** Get the MTU. */
    public static final long SIOCGIFMTU = 0x8921;
    /** Set the MTU. */
    public static final long SIOCSIFMTU = 0x8922;
    /** Get the interface index. */
    public static final long SIOCGIFINDEX = 0x8933;

    /** {@code IFNAMSIZ}: interface name buffer including the terminating NUL. */
    public static final int IFNAMSIZ = 16;
    /** Interface is administratively up. */
    public static final short IFF_UP = 0x1;
    /** Point-to-point link. */
    public static final short IFF_POINTOPOINT = 0x10;
    /** Resources allocated (operational). */
    public static final short IFF_RUNNING = 0x40;

    private Sockios() {
    }
}
