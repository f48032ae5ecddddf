package io.mlvpn.tun.bsd.internal;

/**
 * Constants of macOS {@code net/if_utun.h}. A utun socket carries a 4-byte protocol family in
 * network byte order in front of every packet.
 *
 * <pre>
 * #define UTUN_CONTROL_NAME "com.apple.net.utun_control"
 * #define UTUN_OPT_IFNAME   2
 * </pre>
 */
public final class IfUtun {
    /** {@code UTUN_CONTROL_NAME}. */
    public static final String UTUN_CONTROL_NAME = "com.apple.net.utun_control";
    /** {@code UTUN_OPT_IFNAME}: getsockopt at level {@code SYSPROTO_CONTROL} gives the interface name. */
    public static final int UTUN_OPT_IFNAME = 2;

    private IfUtun() {
    }
}
