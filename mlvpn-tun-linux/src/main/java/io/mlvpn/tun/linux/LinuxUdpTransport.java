package io.mlvpn.tun.linux;

import com.sun.jna.Memory;
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
 * ordinary, capped options are used), and move a whole batch per system call
 * ({@code recvmmsg}/{@code sendmmsg}). IPv4 and IPv6; a wildcard IPv6 bind is dual-stack.
 *
 * <p><b>Threading.</b> As {@link DatagramTransport} says: one receiving thread, sends from any
 * thread (each sending thread keeps its own native message arrays), {@link #close()} from any
 * thread. A receive with nothing queued waits in {@code poll} with an eventfd that {@code close()}
 * signals. Steady-state receive and send allocate nothing: the message arrays are allocated once,
 * the last peer's address object is reused on receive, and a destination is encoded once per
 * array slot on send.
 */
public final class LinuxUdpTransport implements DatagramTransport {
    private final FdGuard guard;
    private final int family;
    private final InetSocketAddress localAddress;
    private final FdPoller receivePoller;
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile long truncatedDatagrams;

    // Receiving thread only.
    private final MessageArray received = new MessageArray();
    private boolean drained;
    // One per sending thread: sends from several threads never share native memory.
    private final ThreadLocal<MessageArray> sendArrays = ThreadLocal.withInitial(MessageArray::new);

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

    /**
     * Receiving thread only. See {@link DatagramTransport#receive}. One {@code recvmmsg} fills up to
     * {@value MessageArray#CAPACITY} buffers (a larger batch takes further calls while the previous
     * one filled every buffer it offered). The socket is non-blocking, so a call takes only what is
     * queued; when nothing is, the call waits in {@code poll} for the first datagram, which gives
     * {@code MSG_WAITFORONE}'s behaviour while staying wakeable by {@link #close()}.
     */
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
                int chunk = Math.min(wanted - count, MessageArray.CAPACITY);
                for (int i = 0; i < chunk; i++) {
                    PacketBuffer packet = batch.get(count + i);
                    ByteBuffer data = packet.data();
                    int offset = packet.offset();
                    received.span(i, received.addresses().addressOf(data, offset), data.capacity() - offset);
                    received.prepareReceive(i);
                }
                int n = receiveChunk(chunk, count > 0, batch);
                if (n < 0) {
                    return count > 0 ? count : -1;
                }
                for (int i = 0; i < n; i++) {
                    PacketBuffer packet = batch.get(count + i);
                    int space = packet.capacity() - packet.offset();
                    int length = received.messageLength(i);
                    if ((received.flags(i) & SocketConstants.MSG_TRUNC) != 0) {
                        truncatedDatagrams++;
                    }
                    packet.length(Math.min(length, space));
                    packet.address(received.source(i));
                }
                count += n;
                if (n < chunk) {
                    break;
                }
            }
            return count;
        } finally {
            guard.exit();
        }
    }

    /**
     * One {@code recvmmsg} into the prepared first {@code chunk} messages, waiting for the first
     * datagram unless {@code haveSome}.
     *
     * @return datagrams received; 0 when {@code haveSome} and nothing more is queued (or a
     *     failure that the next call reports again); -1 when woken by close
     */
    private int receiveChunk(int chunk, boolean haveSome, PacketBatch batch) throws IOException {
        // After a call that emptied the queue, the next one most likely finds nothing: poll first
        // rather than spend a recvmmsg on EAGAIN (poll returns at once when something did arrive).
        if (!haveSome && drained && !receivePoller.await()) {
            return -1;
        }
        for (;;) {
            int n = LibC.recvmmsg(guard.fd(), received.address(0), chunk, 0, 0);
            Reference.reachabilityFence(batch); // keeps every buffer's memory alive through the call
            received.keepAlive();
            if (n > 0) {
                drained = n < chunk;
                return n;
            }
            int errno = n < 0 ? Errno.last() : Errno.EAGAIN;
            if (errno == Errno.EINTR) {
                continue;
            }
            if (haveSome) {
                return 0; // a lasting failure shows again on the next call
            }
            if (errno == Errno.EAGAIN) {
                if (!receivePoller.await()) {
                    return -1;
                }
                continue;
            }
            throw Errno.exception("recvmmsg(" + localAddress + ")", errno);
        }
    }

    /**
     * Any thread. See {@link DatagramTransport#send}: one {@code sendmmsg} for up to
     * {@value MessageArray#CAPACITY} datagrams (a larger batch goes in chunks). When the kernel
     * stops early, sending resumes after the datagram it stopped at; datagrams refused for a
     * passing reason (no route, buffer full, ICMP error reported, firewall, address family the
     * socket cannot reach) count in {@link #sendErrors()} and are skipped.
     *
     * @throws IllegalArgumentException when a buffer has no destination (this transport is never
     *     connected); the buffers before it were sent
     */
    @Override
    public int send(PacketBatch batch) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            MessageArray out = sendArrays.get();
            int size = batch.size();
            int sent = 0;
            int next = 0;
            while (next < size) {
                int slots = 0;
                while (next < size && slots < MessageArray.CAPACITY) {
                    PacketBuffer packet = batch.get(next);
                    InetSocketAddress destination = packet.address();
                    if (destination == null) {
                        sendSlots(out, slots, batch);
                        throw new IllegalArgumentException(
                                "datagram without a destination address on an unconnected transport");
                    }
                    next++;
                    if (!out.destination(slots, destination, family)) {
                        sendErrors.incrementAndGet();
                        continue;
                    }
                    out.span(slots, out.addresses().addressOf(packet.data(), packet.offset()), packet.length());
                    slots++;
                }
                sent += sendSlots(out, slots, batch);
            }
            return sent;
        } finally {
            guard.exit();
        }
    }

    /** Sends the first {@code slots} prepared messages of {@code out}; returns how many went. */
    private int sendSlots(MessageArray out, int slots, PacketBatch batch) throws IOException {
        int start = 0;
        int sent = 0;
        while (start < slots) {
            int n = LibC.sendmmsg(guard.fd(), out.address(start), slots - start, 0);
            Reference.reachabilityFence(batch); // keeps every buffer's memory alive through the call
            out.keepAlive();
            if (n > 0) {
                sent += n;
                start += n;
                continue;
            }
            if (n == 0) {
                throw new IOException("sendmmsg(" + localAddress + ", " + (slots - start)
                        + " datagrams): sent none and reported no error");
            }
            // The kernel reports an error only for the first datagram of a call: skip that one.
            int errno = Errno.last();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (isPassing(errno)) {
                sendErrors.incrementAndGet();
                start++;
                continue;
            }
            throw Errno.exception("sendmmsg(" + out.destinationOf(start) + ", " + out.spanLength(start) + " bytes)",
                    errno);
        }
        return sent;
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
}
