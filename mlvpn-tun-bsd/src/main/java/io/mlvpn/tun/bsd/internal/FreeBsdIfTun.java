package io.mlvpn.tun.bsd.internal;

/**
 * Constants of FreeBSD {@code net/if_tun.h} (FreeBSD 13 and later, where {@code TUNGIFNAME} was
 * added).
 *
 * <pre>
 * #define TUNSIFMODE  _IOW('t', 94, int)
 * #define TUNSIFPID   _IO('t', 95)
 * #define TUNSIFHEAD  _IOW('t', 96, int)
 * #define TUNGIFHEAD  _IOR('t', 97, int)
 * #define TUNGIFNAME  _IOR('t', 93, struct ifreq)
 * </pre>
 *
 * {@code TUNSIFHEAD} with a non-zero argument turns on "multi-af" mode: every packet read or
 * written carries a 4-byte address family in network byte order in front; without it the device
 * carries IPv4 only.
 */
public final class FreeBsdIfTun {
    /** {@code TUNSIFMODE}: {@code IFF_POINTOPOINT} or {@code IFF_BROADCAST}, optionally {@code | IFF_MULTICAST}. */
    public static final long TUNSIFMODE = Ioccom.iow('t', 94, Integer.BYTES);
    /** {@code TUNSIFPID}: make the calling process the owner. */
    public static final long TUNSIFPID = Ioccom.io('t', 95);
    /** {@code TUNSIFHEAD}: 1 turns on the 4-byte address-family header. */
    public static final long TUNSIFHEAD = Ioccom.iow('t', 96, Integer.BYTES);
    /** {@code TUNGIFHEAD}: reads the header mode back. */
    public static final long TUNGIFHEAD = Ioccom.ior('t', 97, Integer.BYTES);
    /** {@code TUNGIFNAME}: the interface name of the open device into {@code ifr_name}. */
    public static final long TUNGIFNAME = Ioccom.ior('t', 93, NetIf.SIZEOF_IFREQ);
    /** The cloning device node: opening it creates the next free {@code tunN}. */
    public static final String CLONE_PATH = "/dev/tun";

    private FreeBsdIfTun() {
    }
}
