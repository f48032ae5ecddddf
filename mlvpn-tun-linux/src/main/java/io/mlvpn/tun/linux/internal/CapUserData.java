package io.mlvpn.tun.linux.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct __user_cap_data_struct} of {@code <linux/capability.h>}; 12 bytes. Version 3 takes
 * two in a row: capabilities 0-31, then 32-63.
 */
@FieldOrder({"effective", "permitted", "inheritable"})
public class CapUserData extends CStruct {
    /** Effective set (32 capabilities). */
    public int effective;
    /** Permitted set. */
    public int permitted;
    /** Inheritable set. */
    public int inheritable;

    /** Zeroes in memory JNA allocates. */
    public CapUserData() {
    }

    /** Over existing memory (an element of the pair capset takes). */
    public CapUserData(Pointer memory) {
        super(memory);
    }
}
