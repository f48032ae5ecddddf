package io.mlvpn.tun.linux.internal;

/** Constants of {@code <linux/if_tun.h>}. */
public final class IfTun {
    /** {@code _IOW('T', 202, int)}: attach the fd to a (new) tun/tap interface. */
    public static final long TUNSETIFF = 0x400454caL;
    /** Layer-3 device. */
    public static final short IFF_TUN = 0x0001;
    /** Layer-2 device. */
    public static final short IFF_TAP = 0x0002;
    /** No 4-byte packet-information prefix on each packet. */
    public static final short IFF_NO_PI = 0x1000;
    /** The path of the clone device. */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    private IfTun() {
    }
}
