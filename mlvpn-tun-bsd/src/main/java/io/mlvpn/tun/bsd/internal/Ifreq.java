package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Union;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} of {@code net/if.h}: a 16-byte name and a 16-byte union, 32 bytes in all on
 * FreeBSD, OpenBSD and macOS (64-bit). Only the union members this module uses are mapped; the
 * padding member keeps the union at its C size.
 *
 * <pre>
 * struct ifreq {
 *     char ifr_name[IFNAMSIZ];           // IFNAMSIZ = 16
 *     union {
 *         struct sockaddr ifru_addr;     // 16 bytes
 *         short           ifru_flags[2]; // FreeBSD: flags and flagshigh; others: short
 *         int             ifru_mtu;
 *         caddr_t         ifru_data;     // FreeBSD SIOCSIFNAME: pointer to the new name
 *         ...
 *     } ifr_ifru;
 * };
 * </pre>
 */
@Structure.FieldOrder({"ifr_name", "ifr_ifru"})
public final class Ifreq extends Structure {
    /** {@code ifr_name}, NUL-terminated. */
    public byte[] ifr_name = new byte[NetIf.IFNAMSIZ];
    /** {@code ifr_ifru}. */
    public IfreqUnion ifr_ifru = new IfreqUnion();

    /** The union member of {@code struct ifreq}. */
    public static final class IfreqUnion extends Union {
        /** {@code ifru_flags[0]} (the low 16 flag bits). */
        public short ifru_flags;
        /** {@code ifru_mtu}. */
        public int ifru_mtu;
        /** {@code ifru_data}. */
        public Pointer ifru_data;
        /** Pads the union to its C size (16 bytes, the size of {@code struct sockaddr}). */
        public byte[] ifru_space = new byte[16];
    }

    /** An all-zero request. */
    public Ifreq() {
        super();
    }

    /** A request naming an interface; the name must fit {@code IFNAMSIZ - 1} bytes. */
    public static Ifreq named(String name) {
        Ifreq r = new Ifreq();
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length >= NetIf.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name longer than " + (NetIf.IFNAMSIZ - 1) + ": " + name);
        }
        System.arraycopy(b, 0, r.ifr_name, 0, b.length);
        return r;
    }

    /** {@code ifr_name} as a string, up to its NUL. */
    public String name() {
        return CStrings.decode(ifr_name);
    }

    /** Selects {@code ifru_mtu} and sets it. */
    public void setMtu(int mtu) {
        ifr_ifru.setType("ifru_mtu");
        ifr_ifru.ifru_mtu = mtu;
    }

    /** Selects {@code ifru_flags} and sets it. */
    public void setFlags(short flags) {
        ifr_ifru.setType("ifru_flags");
        ifr_ifru.ifru_flags = flags;
    }

    /** Reads {@code ifru_flags} back from native memory (after an ioctl filled it). */
    public short readFlags() {
        read();
        return (short) ifr_ifru.readField("ifru_flags");
    }

    /** Selects {@code ifru_data} and sets it. */
    public void setData(Pointer data) {
        ifr_ifru.setType("ifru_data");
        ifr_ifru.ifru_data = data;
    }

    /** Offset of a field, for the layout tests. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
