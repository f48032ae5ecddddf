package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Structure;

/**
 * {@code struct sockaddr_ctl} of macOS {@code sys/kern_control.h} (32 bytes): the address a
 * {@code PF_SYSTEM} socket connects to a kernel control with.
 *
 * <pre>
 * struct sockaddr_ctl {
 *     u_char    sc_len;          // offset 0: sizeof(struct sockaddr_ctl)
 *     u_char    sc_family;       // offset 1: AF_SYSTEM
 *     u_int16_t ss_sysaddr;      // offset 2: AF_SYS_CONTROL
 *     u_int32_t sc_id;           // offset 4: from CTLIOCGINFO
 *     u_int32_t sc_unit;         // offset 8: utun: N + 1 for utunN, 0 for the next free one
 *     u_int32_t sc_reserved[5];  // offset 12
 * };
 * </pre>
 */
@Structure.FieldOrder({"sc_len", "sc_family", "ss_sysaddr", "sc_id", "sc_unit", "sc_reserved"})
public final class SockaddrCtl extends Structure {
    /** {@code sc_len}. */
    public byte sc_len;
    /** {@code sc_family}. */
    public byte sc_family;
    /** {@code ss_sysaddr}. */
    public short ss_sysaddr;
    /** {@code sc_id}. */
    public int sc_id;
    /** {@code sc_unit}. */
    public int sc_unit;
    /** {@code sc_reserved}, zero. */
    public int[] sc_reserved = new int[5];

    /** An all-zero address. */
    public SockaddrCtl() {
        super();
    }

    /** The address of unit {@code unit} of control {@code controlId}. */
    public static SockaddrCtl of(int controlId, int unit) {
        SockaddrCtl a = new SockaddrCtl();
        a.sc_len = (byte) KernControl.SIZEOF_SOCKADDR_CTL;
        a.sc_family = (byte) SysSocket.AF_SYSTEM;
        a.ss_sysaddr = (short) SysDomain.AF_SYS_CONTROL;
        a.sc_id = controlId;
        a.sc_unit = unit;
        return a;
    }

    /** Offset of a field, for the layout tests. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
