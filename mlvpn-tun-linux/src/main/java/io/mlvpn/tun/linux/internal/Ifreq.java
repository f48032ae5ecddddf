package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.Union;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} of {@code <net/if.h>}: a NUL-terminated interface name of
 * {@link Sockios#IFNAMSIZ} bytes, then a union of the request's argument; 40 bytes on LP64.
 * Set exactly one union member per request through the setters, which select it for writing.
 */
@FieldOrder({"ifr_name", "ifr_ifru"})
public class Ifreq extends CStruct {
    /** Interface name, NUL-terminated. */
    public byte[] ifr_name = new byte[Sockios.IFNAMSIZ];
    /** The request's argument. */
    public Ifru ifr_ifru = new Ifru();

    /** The union of {@code struct ifreq}. */
    public static class Ifru extends Union {
        /** {@code ifr_flags}. */
        public short ifru_flags;
        /** {@code ifr_mtu}, {@code ifr_ifindex}. */
        public int ifru_ivalue;
        /** {@code ifr_addr}, {@code ifr_netmask}, {@code ifr_dstaddr} for AF_INET. */
        public SockaddrIn ifru_addr;
        /** {@code ifr_map}: gives the union its size. */
        public Ifmap ifru_map;

        /** Zeroes. */
        public Ifru() {
        }
    }

    /** A request for the named interface. */
    public Ifreq(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length >= Sockios.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name longer than 15 bytes: \"" + name + "\"");
        }
        System.arraycopy(b, 0, ifr_name, 0, b.length);
    }

    /** The interface name as the kernel last wrote it. */
    public String name() {
        int n = 0;
        while (n < ifr_name.length && ifr_name[n] != 0) {
            n++;
        }
        return new String(ifr_name, 0, n, StandardCharsets.US_ASCII);
    }

    /** Selects and sets {@code ifr_flags}. */
    public Ifreq flags(short flags) {
        ifr_ifru.setType(short.class);
        ifr_ifru.ifru_flags = flags;
        return this;
    }

    /** Selects and sets {@code ifr_mtu} / {@code ifr_ifindex}. */
    public Ifreq intValue(int value) {
        ifr_ifru.setType(int.class);
        ifr_ifru.ifru_ivalue = value;
        return this;
    }

    /** Selects and sets {@code ifr_addr} (also netmask and peer) to an IPv4 address. */
    public Ifreq address(byte[] ipv4) {
        ifr_ifru.setType(SockaddrIn.class);
        ifr_ifru.ifru_addr = SockaddrIn.of(ipv4);
        return this;
    }
}
