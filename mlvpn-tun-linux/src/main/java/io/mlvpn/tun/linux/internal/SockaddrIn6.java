package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct sockaddr_in6} of {@code <netinet/in.h>}: family, port (big-endian), flow info,
 * address, scope id; 28 bytes.
 */
@FieldOrder({"sin6_family", "sin6_port", "sin6_flowinfo", "sin6_addr", "sin6_scope_id"})
public class SockaddrIn6 extends CStruct {
    /** sizeof(struct sockaddr_in6). */
    public static final int SIZE = 28;
    /** offsetof(struct sockaddr_in6, sin6_port). */
    public static final int PORT_OFFSET = 2;
    /** offsetof(struct sockaddr_in6, sin6_flowinfo). */
    public static final int FLOWINFO_OFFSET = 4;
    /** offsetof(struct sockaddr_in6, sin6_addr). */
    public static final int ADDR_OFFSET = 8;
    /** offsetof(struct sockaddr_in6, sin6_scope_id). */
    public static final int SCOPE_ID_OFFSET = 24;

    /** AF_INET6. */
    public short sin6_family;
    /** Port, big-endian. */
    public byte[] sin6_port = new byte[2];
    /** Flow information. */
    public int sin6_flowinfo;
    /** Address, big-endian. */
    public byte[] sin6_addr = new byte[16];
    /** Scope (interface index) of a link-local address. */
    public int sin6_scope_id;

    /** An empty address. */
    public SockaddrIn6() {
    }
}
