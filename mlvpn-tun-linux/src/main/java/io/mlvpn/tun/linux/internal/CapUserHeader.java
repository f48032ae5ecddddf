package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;

/** {@code struct __user_cap_header_struct} of {@code <linux/capability.h>}; 8 bytes. */
@FieldOrder({"version", "pid"})
public class CapUserHeader extends CStruct {
    /** {@link Capability#LINUX_CAPABILITY_VERSION_3}. */
    public int version;
    /** 0: the calling thread (the only one capset may change). */
    public int pid;

    /** Version 3, calling thread. */
    public CapUserHeader() {
        version = Capability.LINUX_CAPABILITY_VERSION_3;
    }
}
