package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Structure;

/**
 * {@code struct ctl_info} of macOS {@code sys/kern_control.h} (100 bytes), filled by
 * {@code CTLIOCGINFO} to turn a kernel control name into its id.
 *
 * <pre>
 * struct ctl_info {
 *     u_int32_t ctl_id;                     // offset 0
 *     char      ctl_name[MAX_KCTL_NAME];    // offset 4, MAX_KCTL_NAME = 96
 * };
 * </pre>
 */
@Structure.FieldOrder({"ctl_id", "ctl_name"})
public final class CtlInfo extends Structure {
    /** {@code ctl_id}, filled in by the kernel. */
    public int ctl_id;
    /** {@code ctl_name}, NUL-terminated. */
    public byte[] ctl_name = new byte[KernControl.MAX_KCTL_NAME];

    /** An all-zero structure. */
    public CtlInfo() {
        super();
    }

    /** A request for the control of the given name. */
    public static CtlInfo forName(String controlName) {
        CtlInfo c = new CtlInfo();
        CStrings.encode(controlName, c.ctl_name);
        return c;
    }

    /** Offset of a field, for the layout tests. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
