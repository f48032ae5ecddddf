package io.mlvpn.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.Fcntl;
import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.NativeIoException;
import io.mlvpn.tun.linux.internal.Poll;
import io.mlvpn.tun.linux.internal.SocketConstants;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP socket made with socket(2) directly, for what {@code DatagramChannel} cannot do: bind to an
 * interface ({@code SO_BINDTODEVICE}) and receive/send buffers beyond the system maximum
 * ({@code SO_RCVBUFFORCE}/{@code SO_SNDBUFFORCE}, which need CAP_NET_ADMIN; without it the
 * ordinary, capped options are used). IPv4 and IPv6; a wildcard IPv6 bind is dual-stack. One
 * {@code recvfrom}/{@code sendto} per datagram for now (batched calls come later behind the same
 * methods).
 *
 * <p><b>Threading.</b> As {@link DatagramTransport} says: one receiving thread, sends from any
 * thread (each sending thread keeps its own address scratch), {@link #close()} from any thread. A
 * receive with nothing queued waits in {@code poll} with an eventfd that {@code close()} signals.
 * Steady-state receive and send allocate nothing: the last peer's address object is reused.
 */
public final class LinuxUdpTransport implements DatagramTransport {
    private final FdGuard guard;
    private final int family;
    private final InetSocketAddress localAddress;
    private final FdPoller receivePoller;
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile long truncatedDatagrams;

    // Receiving thread only: where recvfrom writes the source, and the last source decoded.
    private final Memory source = new Memory(SockaddrCodec.MAX_SIZE + 8L);
    private final long sourceAddress = Pointer.nativeValue(source);
    private final byte[] sourceBytes = new byte[SockaddrCodec.MAX_SIZE];
    private final byte[] lastSourceBytes = new byte[SockaddrCodec.MAX_SIZE];
    private int lastSourceLength = -1;
    private InetSocketAddress lastSource;

    private final ThreadLocal<SendScratch> sendScratch = ThreadLocal.withInitial(SendScratch::new);

    private LinuxUdpTransport(int fd, int wakeFd, int family, InetSocketAddress localAddress) {
        this.family = family;
        this.localAddress = localAddress;
        this.guard = new FdGuard(fd, wakeFd, "udp " + localAddress);
        this.receivePoller = new FdPoller(guard, Poll.POLLIN, "udp " + localAddress + ", POLLIN");
    }

    /**
     * Creates, configures and binds the socket.
     *
     * @throws IOException naming the failing call ({@code setsockopt(SO_BINDTODEVICE, "eth9")},
     *     {@code bind(...)}); nothing stays open then
     */
    public static LinuxUdpTransport open(TransportConfig config) throws IOException {
        InetSocketAddress bind = config.bindAddress();
        InetAddress bindIp = bind.getAddress();
        if (bindIp == null) {
            throw new IOException("bind address " + bind + " is unresolved");
        }
        int family = bindIp instanceof Inet6Address ? SocketConstants.AF_INET6 : SocketConstants.AF_INET;
        String familyName = family == SocketConstants.AF_INET6 ? "AF_INET6" : "AF_INET";
        int fd = LibC.socket(family,
                SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.lastException("socket(" + familyName + ", SOCK_DGRAM)");
        }
        int wakeFd = -1;
        boolean opened = false;
        try {
            if (family == SocketConstants.AF_INET6 && bindIp.isAnyLocalAddress()) {
                setInt(fd, SocketConstants.IPPROTO_IPV6, SocketConstants.IPV6_V6ONLY, "IPV6_V6ONLY", 0);
            }
            if (config.bindInterface().isPresent()) {
                String name = config.bindInterface().get();
                byte[] value = Arrays.copyOf(name.getBytes(StandardCharsets.US_ASCII), name.length() + 1);
                if (LibC.setsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_BINDTODEVICE, value,
                        value.length) != 0) {
                    throw Errno.lastException("setsockopt(SO_BINDTODEVICE, \"" + name + "\")");
                }
            }
            if (config.receiveBufferBytes() > 0) {
                setBuffer(fd, SocketConstants.SO_RCVBUFFORCE, "SO_RCVBUFFORCE", SocketConstants.SO_RCVBUF, "SO_RCVBUF",
                        config.receiveBufferBytes());
            }
            if (config.sendBufferBytes() > 0) {
                setBuffer(fd, SocketConstants.SO_SNDBUFFORCE, "SO_SNDBUFFORCE", SocketConstants.SO_SNDBUF, "SO_SNDBUF",
                        config.sendBufferBytes());
            }
            Memory sockaddr = new Memory(SockaddrCodec.MAX_SIZE);
            int length = SockaddrCodec.encode(bind, family, sockaddr);
            if (LibC.bind(fd, sockaddr, length) != 0) {
                throw Errno.lastException("bind(" + bind + ")");
            }
            int[] actualLength = {SockaddrCodec.MAX_SIZE};
            if (LibC.getsockname(fd, sockaddr, actualLength) != 0) {
                throw Errno.lastException("getsockname(" + bind + ")");
            }
            InetSocketAddress local = SockaddrCodec.decode(sockaddr);
            wakeFd = LibC.eventfd(0, Fcntl.EFD_NONBLOCK | Fcntl.EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw Errno.lastException("eventfd(udp " + local + ")");
            }
            LinuxUdpTransport transport = new LinuxUdpTransport(fd, wakeFd, family, local);
            opened = true;
            return transport;
        } finally {
            if (!opened) {
                LibC.close(fd);
                if (wakeFd >= 0) {
                    LibC.close(wakeFd);
                }
            }
        }
    }

    private static void setBuffer(int fd, int forced, String forcedName, int plain, String plainName, int bytes)
            throws IOException {
        try {
            setInt(fd, SocketConstants.SOL_SOCKET, forced, forcedName, bytes);
        } catch (NativeIoException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            // Without CAP_NET_ADMIN: the ordinary option, capped by net.core.[rw]mem_max.
            setInt(fd, SocketConstants.SOL_SOCKET, plain, plainName, bytes);
        }
    }

    private static void setInt(int fd, int level, int option, String optionName, int value) throws IOException {
        if (LibC.setsockopt(fd, level, option, new int[] {value}, 4) != 0) {
            throw Errno.lastException("setsockopt(" + optionName + ", " + value + ")");
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The kernel's receive buffer size in bytes (twice what was asked, as Linux reports it). */
    public int receiveBufferBytes() throws IOException {
        return getInt(SocketConstants.SO_RCVBUF, "SO_RCVBUF");
    }

    /** The kernel's send buffer size in bytes (twice what was asked, as Linux reports it). */
    public int sendBufferBytes() throws IOException {
        return getInt(SocketConstants.SO_SNDBUF, "SO_SNDBUF");
    }

    private int getInt(int option, String optionName) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            int[] value = new int[1];
            int[] length = {4};
            if (LibC.getsockopt(guard.fd(), SocketConstants.SOL_SOCKET, option, value, length) != 0) {
                throw Errno.lastException("getsockopt(" + optionName + ")");
            }
            return value[0];
        } finally {
            guard.exit();
        }
    }

    /** Datagrams truncated on receive because they exceeded a buffer's space, since open. */
    public long truncatedDatagrams() {
        return truncatedDatagrams;
    }

    /** Receiving thread only. See {@link DatagramTransport#receive}. */
    @Override
    public int receive(PacketBatch batch) throws IOException {
        int wanted = batch.size();
        if (wanted < 1) {
            throw new IllegalArgumentException("receive needs a batch with at least one buffer");
        }
        if (!guard.enter()) {
            return -1;
        }
        try {
            int count = 0;
            while (count < wanted) {
                PacketBuffer packet = batch.get(count);
                ByteBuffer data = packet.data();
                int offset = packet.offset();
                int space = data.capacity() - offset;
                source.setInt(SockaddrCodec.MAX_SIZE, SockaddrCodec.MAX_SIZE);
                long n = LibC.recvfrom(guard.fd(), DirectAddress.of(data, offset), space, SocketConstants.MSG_TRUNC,
                        sourceAddress, sourceAddress + SockaddrCodec.MAX_SIZE);
                Reference.reachabilityFence(data);
                if (n >= 0) {
                    if (n > space) { // MSG_TRUNC: n is the datagram's real length
                        truncatedDatagrams++;
                        n = space;
                    }
                    packet.length((int) n);
                    packet.address(source());
                    count++;
                    continue;
                }
                int errno = Errno.last();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN) {
                    if (count > 0) {
                        return count;
                    }
                    if (!receivePoller.await()) {
                        return -1;
                    }
                    continue;
                }
                if (count > 0) {
                    return count; // a lasting failure shows again on the next call
                }
                throw Errno.exception("recvfrom(" + localAddress + ")", errno);
            }
            return count;
        } finally {
            Reference.reachabilityFence(source);
            guard.exit();
        }
    }

    private InetSocketAddress source() {
        int length = Math.min(source.getInt(SockaddrCodec.MAX_SIZE), SockaddrCodec.MAX_SIZE);
        source.read(0, sourceBytes, 0, length);
        if (length == lastSourceLength && Arrays.equals(sourceBytes, 0, length, lastSourceBytes, 0, length)) {
            return lastSource;
        }
        InetSocketAddress decoded = SockaddrCodec.decode(source);
        System.arraycopy(sourceBytes, 0, lastSourceBytes, 0, length);
        lastSourceLength = length;
        lastSource = decoded;
        return decoded;
    }

    /**
     * Any thread. See {@link DatagramTransport#send}; datagrams refused for a passing reason (no
     * route, buffer full, ICMP error reported, firewall, address family the socket cannot reach)
     * count in {@link #sendErrors()}.
     *
     * @throws IllegalArgumentException when a buffer has no destination (this transport is never
     *     connected)
     */
    @Override
    public int send(PacketBatch batch) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            SendScratch scratch = sendScratch.get();
            int sent = 0;
            for (int i = 0, size = batch.size(); i < size; i++) {
                if (sendOne(batch.get(i), scratch)) {
                    sent++;
                }
            }
            return sent;
        } finally {
            guard.exit();
        }
    }

    private boolean sendOne(PacketBuffer packet, SendScratch scratch) throws IOException {
        InetSocketAddress destination = packet.address();
        if (destination == null) {
            throw new IllegalArgumentException("datagram without a destination address on an unconnected transport");
        }
        int addressLength = scratch.encode(destination, family);
        if (addressLength < 0) {
            sendErrors.incrementAndGet();
            return false;
        }
        ByteBuffer data = packet.data();
        for (;;) {
            long n = LibC.sendto(guard.fd(), DirectAddress.of(data, packet.offset()), packet.length(), 0,
                    scratch.address, addressLength);
            Reference.reachabilityFence(data);
            Reference.reachabilityFence(scratch.sockaddr);
            if (n >= 0) {
                return true;
            }
            int errno = Errno.last();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (isPassing(errno)) {
                sendErrors.incrementAndGet();
                return false;
            }
            throw Errno.exception("sendto(" + destination + ", " + packet.length() + " bytes)", errno);
        }
    }

    /** Errors about one datagram or one path, not about the socket. */
    static boolean isPassing(int errno) {
        switch (errno) {
            case Errno.EAGAIN:
            case Errno.ENOBUFS:
            case Errno.ECONNREFUSED:
            case Errno.ENETUNREACH:
            case Errno.EHOSTUNREACH:
            case Errno.ENETDOWN:
            case Errno.EHOSTDOWN:
            case Errno.EADDRNOTAVAIL:
            case Errno.EMSGSIZE:
            case Errno.EPERM: // a firewall rule refused it
            case Errno.ECONNRESET:
                return true;
            default:
                return false;
        }
    }

    @Override
    public long sendErrors() {
        return sendErrors.get();
    }

    /** Idempotent, from any thread; wakes a blocked receiver. */
    @Override
    public void close() throws IOException {
        guard.close();
    }

    @Override
    public String toString() {
        return "LinuxUdpTransport[" + localAddress + (guard.isClosed() ? ", closed]" : "]");
    }

    /** One sending thread's sockaddr memory and the destination it last encoded. */
    private static final class SendScratch {
        final Memory sockaddr = new Memory(SockaddrCodec.MAX_SIZE);
        final long address = Pointer.nativeValue(sockaddr);
        InetSocketAddress last;
        int lastFamily;
        int lastLength;

        int encode(InetSocketAddress destination, int family) {
            if (destination != last || family != lastFamily) {
                lastLength = SockaddrCodec.encode(destination, family, sockaddr);
                last = destination;
                lastFamily = family;
            }
            return lastLength;
        }
    }
}
