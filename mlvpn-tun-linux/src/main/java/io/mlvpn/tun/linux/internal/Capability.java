package io.mlvpn.tun.linux.internal;

/** Constants of {@code <linux/capability.h>} and {@code <linux/prctl.h>}. */
public final class Capability {
    /** 64-bit capability sets: two {@code __user_cap_data_struct}s. */
    public static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    /** Capability number of CAP_NET_ADMIN. */
    public static final int CAP_NET_ADMIN = 12;
    /** prctl: read the calling thread's keep-capabilities flag. */
    public static final int PR_GET_KEEPCAPS = 7;
    /** prctl: keep the permitted set across the uid change of the calling thread. */
    public static final int PR_SET_KEEPCAPS = 8;

    private Capability() {
    }
}
