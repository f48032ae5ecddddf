package io.mlvpn.tun.bsd.internal;

/**
 * Constants of macOS {@code sys/kern_control.h}.
 *
 * <pre>
 * #define MAX_KCTL_NAME 96
 * #define CTLIOCGINFO   _IOWR('N', 3, struct ctl_info)   // struct ctl_info is 100 bytes
 * </pre>
 */
public final class KernControl {
    /** {@code MAX_KCTL_NAME}. */
    public static final int MAX_KCTL_NAME = 96;
    /** {@code sizeof(struct ctl_info)}. */
    public static final int SIZEOF_CTL_INFO = 4 + MAX_KCTL_NAME;
    /** {@code sizeof(struct sockaddr_ctl)}. */
    public static final int SIZEOF_SOCKADDR_CTL = 32;
    /** {@code CTLIOCGINFO}: kernel control name to id. */
    public static final long CTLIOCGINFO = Ioccom.iowr('N', 3, SIZEOF_CTL_INFO);

    private KernControl() {
    }
}
