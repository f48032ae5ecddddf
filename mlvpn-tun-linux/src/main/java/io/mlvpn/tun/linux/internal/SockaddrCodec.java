package io.mlvpn.tun.linux.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Converts between {@link InetSocketAddress} and {@code sockaddr_in} / {@code sockaddr_in6} in native
 * memory, at the offsets the layout test checks. An IPv4 address on an AF_INET6 socket is written
 * as {@code ::ffff:a.b.c.d}, and read back as IPv4. Stateless.
 */
public final class SockaddrCodec {
    /** Room for the largest sockaddr this module handles. */
    static final int MAX_SIZE = SockaddrIn6.SIZE;

    private SockaddrCodec() {
    }

    /**
     * Writes {@code address} for a socket of {@code family} at {@code memory}.
     *
     * @return bytes written, or -1 when the family cannot carry the address (IPv6 on AF_INET) or it
     *     is unresolved
     */
    static int encode(InetSocketAddress address, int family, Pointer memory) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            return -1;
        }
        byte[] bytes = ip.getAddress();
        int port = address.getPort();
        if (family == SocketConstants.AF_INET) {
            if (bytes.length != 4) {
                return -1;
            }
            memory.setMemory(0, SockaddrIn.SIZE, (byte) 0);
            memory.setShort(0, (short) SocketConstants.AF_INET);
            memory.setByte(SockaddrIn.PORT_OFFSET, (byte) (port >>> 8));
            memory.setByte(SockaddrIn.PORT_OFFSET + 1, (byte) port);
            memory.write(SockaddrIn.ADDR_OFFSET, bytes, 0, 4);
            return SockaddrIn.SIZE;
        }
        memory.setMemory(0, SockaddrIn6.SIZE, (byte) 0);
        memory.setShort(0, (short) SocketConstants.AF_INET6);
        memory.setByte(SockaddrIn6.PORT_OFFSET, (byte) (port >>> 8));
        memory.setByte(SockaddrIn6.PORT_OFFSET + 1, (byte) port);
        if (bytes.length == 4) {
            memory.setByte(SockaddrIn6.ADDR_OFFSET + 10, (byte) 0xff);
            memory.setByte(SockaddrIn6.ADDR_OFFSET + 11, (byte) 0xff);
            memory.write(SockaddrIn6.ADDR_OFFSET + 12, bytes, 0, 4);
        } else {
            memory.write(SockaddrIn6.ADDR_OFFSET, bytes, 0, 16);
            memory.setInt(SockaddrIn6.SCOPE_ID_OFFSET, ((Inet6Address) ip).getScopeId());
        }
        return SockaddrIn6.SIZE;
    }

    /**
     * Reads the sockaddr at {@code memory}.
     *
     * @throws IllegalArgumentException for a family other than AF_INET / AF_INET6
     */
    static InetSocketAddress decode(Pointer memory) {
        int family = memory.getShort(0);
        try {
            if (family == SocketConstants.AF_INET) {
                byte[] bytes = memory.getByteArray(SockaddrIn.ADDR_OFFSET, 4);
                return new InetSocketAddress(Inet4Address.getByAddress(bytes), port(memory, SockaddrIn.PORT_OFFSET));
            }
            if (family == SocketConstants.AF_INET6) {
                byte[] bytes = memory.getByteArray(SockaddrIn6.ADDR_OFFSET, 16);
                int scope = memory.getInt(SockaddrIn6.SCOPE_ID_OFFSET);
                // getByAddress turns ::ffff:a.b.c.d into an Inet4Address, which is what a dual-stack peer is.
                InetAddress ip = scope != 0 && !isIpv4Mapped(bytes)
                        ? Inet6Address.getByAddress(null, bytes, scope) : InetAddress.getByAddress(bytes);
                return new InetSocketAddress(ip, port(memory, SockaddrIn6.PORT_OFFSET));
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("address of fixed length refused", e);
        }
        throw new IllegalArgumentException("unexpected address family " + family);
    }

    /**
     * Binds {@code fd}, a socket of {@code family}, to {@code address} and reads back the address
     * the kernel chose ({@code getsockname}: the port, when {@code address} asked for any).
     *
     * @throws IOException naming {@code bind} or {@code getsockname} and the errno
     */
    public static InetSocketAddress bind(int fd, InetSocketAddress address, int family) throws IOException {
        Memory sockaddr = new Memory(MAX_SIZE);
        int length = encode(address, family, sockaddr);
        if (LibC.bind(fd, sockaddr, length) != 0) {
            throw Errno.lastException("bind(" + address + ")");
        }
        int[] actualLength = {MAX_SIZE};
        if (LibC.getsockname(fd, sockaddr, actualLength) != 0) {
            throw Errno.lastException("getsockname(" + address + ")");
        }
        return decode(sockaddr);
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static int port(Pointer memory, int offset) {
        return (memory.getByte(offset) & 0xff) << 8 | (memory.getByte(offset + 1) & 0xff);
    }
}
