package io.mlvpn.tun.linux.internal;

/**
 * Constants of {@code <sys/socket.h>}, {@code <asm-generic/socket.h>}, {@code <netinet/in.h>} and
 * {@code <linux/udp.h>}.
 */
public final class SocketConstants {
    /** IPv4. */
    public static final int AF_INET = 2;
    /** IPv6. */
    public static final int AF_INET6 = 10;
    /** Datagram socket. */
    public static final int SOCK_DGRAM = 2;
    /** Non-blocking at creation. */
    public static final int SOCK_NONBLOCK = 0x800;
    /** Close-on-exec at creation. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** Socket-level options. */
    public static final int SOL_SOCKET = 1;
    /** Allow reuse of a local address. */
    public static final int SO_REUSEADDR = 2;
    /** Send buffer, capped by {@code net.core.wmem_max}. */
    public static final int SO_SNDBUF = 7;
    /** Receive buffer, capped by {@code net.core.rmem_max}. */
    public static final int SO_RCVBUF = 8;
    /** Bind to an interface. */
    public static final int SO_BINDTODEVICE = 25;
    /** Send buffer beyond wmem_max; needs CAP_NET_ADMIN. */
    public static final int SO_SNDBUFFORCE = 32;
    /** Receive buffer beyond rmem_max; needs CAP_NET_ADMIN. */
    public static final int SO_RCVBUFFORCE = 33;
    /**
     * Ask for the socket's cumulative drop counter as a {@code SOL_SOCKET} control message (a
     * {@code __u32}) on each received datagram queued after a drop.
     */
    public static final int SO_RXQ_OVFL = 40;
    /** UDP protocol level ({@code IPPROTO_UDP}). */
    public static final int SOL_UDP = 17;
    /**
     * UDP generic segmentation offload: as a control message (a {@code __u16}), the segment size
     * the kernel cuts one sent message into (Linux 4.18).
     */
    public static final int UDP_SEGMENT = 103;
    /**
     * UDP generic receive offload: as an int option, let the kernel queue coalesced datagrams; as a
     * control message (an int), the segment size of a coalesced message received (Linux 5.0).
     */
    public static final int UDP_GRO = 104;
    /** IPv6 protocol level. */
    public static final int IPPROTO_IPV6 = 41;
    /** Only IPv6 on an AF_INET6 socket. */
    public static final int IPV6_V6ONLY = 26;
    /** msg_flags: control data was cut short for lack of room. */
    public static final int MSG_CTRUNC = 0x8;
    /** recvfrom: return the real datagram length even when truncated. */
    public static final int MSG_TRUNC = 0x20;
    /** Non-blocking for this call only. */
    public static final int MSG_DONTWAIT = 0x40;

    private SocketConstants() {
    }
}
