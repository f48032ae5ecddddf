package io.mlvpn.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.Poll;
import io.mlvpn.tun.linux.internal.SocketConstants;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An {@code AF_PACKET} socket bound to one interface: it puts exact bytes on the interface's
 * transmit path and sees exact bytes on its receive path, with no IP processing in between. On a
 * tun interface (no link-layer header) the transmit path ends in the device's read queue, and the
 * receive path starts with what the device wrote, so a test can feed and observe a tun device
 * byte for byte. Created in the calling thread's network namespace, where the interface must be;
 * usable from any thread afterwards. Test helper: one user thread at a time.
 */
final class PacketSocket implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int ETH_P_ALL = 0x0003;
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86DD;
    /** {@code sll_pkttype} of a packet the host itself sends out. */
    private static final int PACKET_OUTGOING = 4;
    /** sizeof(struct sockaddr_ll). */
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int SLL_PKTTYPE_OFFSET = 10;
    private static final int BUFFER_BYTES = 65536;

    static {
        Native.register(PacketSocket.class, "c");
    }

    private static native int if_nametoindex(String name);

    private final String interfaceName;
    private final int interfaceIndex;
    private final int fd;
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final Memory peer = new Memory(SOCKADDR_LL_SIZE);
    private final Memory peerLength = new Memory(4);
    private final Memory pollfd = new Memory(Poll.SIZE);
    private boolean closed;

    private PacketSocket(String interfaceName, int interfaceIndex, int fd) {
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.fd = fd;
    }

    /** Opens a socket that sees every protocol on {@code interfaceName}, in the calling thread's namespace. */
    static PacketSocket open(String interfaceName) throws IOException {
        int index = if_nametoindex(interfaceName);
        if (index == 0) {
            throw Errno.lastException("if_nametoindex(\"" + interfaceName + "\")");
        }
        // Protocol 0 at creation receives nothing until bind names the interface, so no packet of
        // another interface slips in between the two calls.
        int fd = LibC.socket(AF_PACKET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.lastException("socket(AF_PACKET, SOCK_DGRAM)");
        }
        try (Memory address = linkAddress(ETH_P_ALL, index)) {
            if (LibC.bind(fd, address, SOCKADDR_LL_SIZE) != 0) {
                IOException e = Errno.lastException("bind(AF_PACKET, \"" + interfaceName + "\")");
                LibC.close(fd);
                throw e;
            }
        }
        return new PacketSocket(interfaceName, index, fd);
    }

    /** A {@code struct sockaddr_ll} naming an interface and an EtherType. */
    private static Memory linkAddress(int etherType, int interfaceIndex) {
        Memory address = new Memory(SOCKADDR_LL_SIZE);
        address.clear();
        address.setShort(0, (short) AF_PACKET);
        address.setByte(2, (byte) (etherType >>> 8)); // sll_protocol is big-endian
        address.setByte(3, (byte) etherType);
        address.setInt(4, interfaceIndex);
        return address;
    }

    /** Transmits {@code packet} (an IPv4 or IPv6 packet) unchanged on the interface. */
    void send(byte[] packet) throws IOException {
        int etherType = (packet[0] & 0xF0) == 0x60 ? ETH_P_IPV6 : ETH_P_IP;
        buffer.write(0, packet, 0, packet.length);
        try (Memory destination = linkAddress(etherType, interfaceIndex)) {
            long n = LibC.sendto(fd, Pointer.nativeValue(buffer), packet.length, 0, Pointer.nativeValue(destination),
                    SOCKADDR_LL_SIZE);
            if (n != packet.length) {
                throw n < 0 ? Errno.lastException("sendto(AF_PACKET, \"" + interfaceName + "\", " + packet.length + " bytes)")
                        : new IOException("sendto(AF_PACKET): short send, " + n + " of " + packet.length + " bytes");
            }
        }
    }

    /**
     * Waits for the next packet the interface received (skipping copies of packets the host sent
     * out on it).
     *
     * @return the packet, or {@code null} when none came within {@code timeoutMillis}
     */
    byte[] receiveIncoming(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (;;) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                return null;
            }
            pollfd.setInt(Poll.FD_OFFSET, fd);
            pollfd.setShort(Poll.EVENTS_OFFSET, Poll.POLLIN);
            pollfd.setShort(Poll.REVENTS_OFFSET, (short) 0);
            int ready = LibC.poll(Pointer.nativeValue(pollfd), 1, (int) Math.min(remainingMillis, Integer.MAX_VALUE));
            if (ready < 0) {
                if (Errno.last() == Errno.EINTR) {
                    continue;
                }
                throw Errno.lastException("poll(AF_PACKET, \"" + interfaceName + "\")");
            }
            if (ready == 0) {
                continue;
            }
            peerLength.setInt(0, SOCKADDR_LL_SIZE);
            long n = LibC.recvfrom(fd, Pointer.nativeValue(buffer), BUFFER_BYTES, SocketConstants.MSG_DONTWAIT,
                    Pointer.nativeValue(peer), Pointer.nativeValue(peerLength));
            if (n < 0) {
                int errno = Errno.last();
                if (errno == Errno.EINTR || errno == Errno.EAGAIN) {
                    continue;
                }
                throw Errno.exception("recvfrom(AF_PACKET, \"" + interfaceName + "\")", errno);
            }
            if ((peer.getByte(SLL_PKTTYPE_OFFSET) & 0xFF) == PACKET_OUTGOING) {
                continue;
            }
            return buffer.getByteArray(0, (int) n);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
