package io.mlvpn.tun.bsd.internal;

/**
 * Constants of OpenBSD {@code net/if_tun.h} (revision 1.15 and later). OpenBSD's tun always
 * carries the 4-byte address-family header in network byte order; its tap carries bare Ethernet
 * frames.
 *
 * <pre>
 * struct tuninfo { u_int mtu; u_short type; u_short flags; u_int baudrate; };   // 12 bytes
 * #define TUNSIFINFO  _IOW('t', 91, struct tuninfo)
 * #define TUNGIFINFO  _IOR('t', 92, struct tuninfo)
 * #define TUNSIFMODE  _IOW('t', 93, int)
 * </pre>
 */
public final class OpenBsdIfTun {
    /** {@code sizeof(struct tuninfo)}. */
    public static final int SIZEOF_TUNINFO = 12;
    /** {@code TUNSIFINFO}. */
    public static final long TUNSIFINFO = Ioccom.iow('t', 91, SIZEOF_TUNINFO);
    /** {@code TUNGIFINFO}. */
    public static final long TUNGIFINFO = Ioccom.ior('t', 92, SIZEOF_TUNINFO);
    /** {@code TUNSIFMODE}: {@code IFF_POINTOPOINT} or {@code IFF_BROADCAST}. */
    public static final long TUNSIFMODE = Ioccom.iow('t', 93, Integer.BYTES);
    /** Highest unit tried when looking for a free {@code /dev/tunN} or {@code /dev/tapN}. */
    public static final int MAX_UNIT = 255;

    private OpenBsdIfTun() {
    }
}
