package io.mlvpn.tun.bsd.internal;

/**
 * Constants of FreeBSD {@code net/if_tap.h}. tap devices carry bare Ethernet frames: no
 * address-family header, whatever {@code TUNSIFHEAD} says.
 *
 * <pre>
 * #define TAPGIFNAME  TUNGIFNAME      // _IOR('t', 93, struct ifreq)
 * </pre>
 */
public final class FreeBsdIfTap {
    /** {@code TAPGIFNAME}, an alias of {@code TUNGIFNAME}. */
    public static final long TAPGIFNAME = FreeBsdIfTun.TUNGIFNAME;
    /** The cloning device node: opening it creates the next free {@code tapN}. */
    public static final String CLONE_PATH = "/dev/tap";

    private FreeBsdIfTap() {
    }
}
