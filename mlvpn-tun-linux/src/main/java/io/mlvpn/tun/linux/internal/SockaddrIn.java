package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct sockaddr_in} of {@code <netinet/in.h>}: family, port and address (both in network
 * byte order, hence byte arrays), zero padding; 16 bytes.
 */
@FieldOrder({"sin_family", "sin_port", "sin_addr", "sin_zero"})
public class SockaddrIn extends CStruct {
    /** sizeof(struct sockaddr_in). */
    public static final int SIZE = 16;
    /** offsetof(struct sockaddr_in, sin_port). */
    public static final int PORT_OFFSET = 2;
    /** offsetof(struct sockaddr_in, sin_addr). */
    public static final int ADDR_OFFSET = 4;

    /** AF_INET. */
    public short sin_family;
    /** Port, big-endian. */
    public byte[] sin_port = new byte[2];
    /** Address, big-endian. */
    public byte[] sin_addr = new byte[4];
    /** Padding. */
    public byte[] sin_zero = new byte[8];

    /** An empty address. */
    public SockaddrIn() {
    }

    /** An AF_INET address with the given 4 address bytes and port 0. */
    public static SockaddrIn of(byte[] address) {
        SockaddrIn s = new SockaddrIn();
        s.sin_family = SocketConstants.AF_INET;
        System.arraycopy(address, 0, s.sin_addr, 0, 4);
        return s;
    }
}
