package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct in6_ifreq} of {@code <linux/ipv6.h>}: the argument of SIOCSIFADDR on an AF_INET6
 * socket; address, prefix length and interface index; 24 bytes.
 */
@FieldOrder({"ifr6_addr", "ifr6_prefixlen", "ifr6_ifindex"})
public class In6Ifreq extends CStruct {
    /** IPv6 address, big-endian. */
    public byte[] ifr6_addr = new byte[16];
    /** Prefix length in bits. */
    public int ifr6_prefixlen;
    /** Interface index. */
    public int ifr6_ifindex;

    /** Zeroes. */
    public In6Ifreq() {
    }
}
