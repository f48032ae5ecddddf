package io.mlvpn.tun.bsd.internal;

/**
 * Constants of macOS {@code sys/sys_domain.h}.
 *
 * <pre>
 * #define SYSPROTO_CONTROL 2   // kernel control protocol
 * #define AF_SYS_CONTROL   2   // corresponding sub address type
 * </pre>
 */
public final class SysDomain {
    /** {@code SYSPROTO_CONTROL}. */
    public static final int SYSPROTO_CONTROL = 2;
    /** {@code AF_SYS_CONTROL}. */
    public static final int AF_SYS_CONTROL = 2;

    private SysDomain() {
    }
}
