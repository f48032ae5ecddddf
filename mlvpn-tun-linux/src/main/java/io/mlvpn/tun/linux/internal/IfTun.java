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
    /** Each read and write carries a {@code struct virtio_net_hdr} in front of the packet. */
    public static final short IFF_VNET_HDR = 0x4000;
    /** {@code _IOW('T', 208, unsigned int)}: which offloads the reader accepts ({@code TUN_F_*}). */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOW('T', 216, int)}: size of the virtio header in front of each packet. */
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** The reader completes partial checksums itself. */
    public static final int TUN_F_CSUM = 0x01;
    /** The reader segments TCP over IPv4 super-packets itself. */
    public static final int TUN_F_TSO4 = 0x02;
    /** The reader segments TCP over IPv6 super-packets itself. */
    public static final int TUN_F_TSO6 = 0x04;
    /** The path of the clone device. */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    private IfTun() {
    }
}
