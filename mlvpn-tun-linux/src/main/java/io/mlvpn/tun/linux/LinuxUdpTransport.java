package io.mlvpn.tun.linux;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.tun.linux.internal.DirectAddressCache;
import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.Fcntl;
import io.mlvpn.tun.linux.internal.FdGuard;
import io.mlvpn.tun.linux.internal.FdPoller;
import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.MessageArray;
import io.mlvpn.tun.linux.internal.NativeIoException;
import io.mlvpn.tun.linux.internal.Poll;
import io.mlvpn.tun.linux.internal.SockaddrCodec;
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
 * ({@code recvmmsg}/{@code sendmmsg}), with UDP GSO on send and GRO on receive where the kernel
 * has them, and report the kernel's receive-buffer drops ({@code SO_RXQ_OVFL}). IPv4 and IPv6; a
 * wildcard IPv6 bind is dual-stack.
 *
 * <p><b>Threading.</b> As {@link DatagramTransport} says: one receiving thread, sends from any
 * thread (each sending thread keeps its own native message arrays), {@link #close()} from any
 * thread. A receive with nothing queued waits in {@code poll} with an eventfd that {@code close()}
 * signals. Steady-state receive and send allocate nothing: the message arrays are allocated once,
 * the last peer's address object is reused on receive, and a destination is encoded once per
 * array slot on send.
 */
public final class LinuxUdpTransport implements DatagramTransport {
    /** Whether {@link #open(TransportConfig)} asks for UDP GSO on send; see the module README for why. */
    static final boolean SEGMENTATION_BY_DEFAULT = true;
    /** Whether {@link #open(TransportConfig)} asks for UDP GRO on receive; see the module README for why. */
    static final boolean COALESCING_BY_DEFAULT = true;
    /** Most datagrams in one GSO message (the kernel's UDP_MAX_SEGMENTS in older kernels). */
    static final int GSO_MAX_SEGMENTS = 64;
    /** Most payload bytes in one GSO message: one IPv4 datagram's limit, 65535 - 20 - 8. */
    static final int GSO_MAX_BYTES = 65507;
    /** Room for a whole coalesced message: a UDP message cannot exceed 64 KiB. */
    static final int SCRATCH_BYTES = 1 << 16;
    private final FdGuard guard;
    private final int family;
    private final InetSocketAddress localAddress;
    private final FdPoller receivePoller;
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong segmentationFallbacks = new AtomicLong();
    private volatile long truncatedDatagrams;
    private volatile long receiveBufferDrops;
    private volatile boolean segmentation;
    private final boolean coalescing;

    // Receiving thread only.
    private final MessageArray received = new MessageArray();
    private boolean drained;
    /** The kernel's drop counter as last seen (a __u32 that may wrap). */
    private long lastDropCounter;
    /** With GRO: one 64 KiB buffer per message of a recvmmsg, grown up to the largest chunk asked. */
    private ByteBuffer[] scratch = new ByteBuffer[0];
    /** With GRO: messages of the last recvmmsg not yet handed out, and how far into the current one. */
    private int pendingMessages;
    private int pendingMessage;
    private int pendingOffset;
    /** With GRO: received messages that held more than one datagram (tests read it). */
    private long coalescedMessages;
    // One per sending thread: sends from several threads never share native memory.
    private final ThreadLocal<MessageArray> sendArrays = ThreadLocal.withInitial(MessageArray::new);

    private LinuxUdpTransport(int fd, int wakeFd, int family, InetSocketAddress localAddress, boolean segmentation,
            boolean coalescing) {
        this.family = family;
        this.segmentation = segmentation;
        this.coalescing = coalescing;
        this.localAddress = localAddress;
        this.guard = new FdGuard(fd, wakeFd, "udp " + localAddress);
        this.receivePoller = new FdPoller(guard, Poll.POLLIN, "udp " + localAddress + ", POLLIN");
    }

    /**
     * Creates, configures and binds the socket, with UDP GSO on send and GRO on receive as
     * {@link #SEGMENTATION_BY_DEFAULT} and {@link #COALESCING_BY_DEFAULT} say (each only where the
     * kernel supports it).
     *
     * @throws IOException naming the failing call ({@code setsockopt(SO_BINDTODEVICE, "eth9")},
     *     {@code bind(...)}); nothing stays open then
     */
    public static LinuxUdpTransport open(TransportConfig config) throws IOException {
        return open(config, SEGMENTATION_BY_DEFAULT, COALESCING_BY_DEFAULT);
    }

    /**
     * As {@link #open(TransportConfig)}, choosing UDP GSO on send ({@code segmentation}) and UDP GRO
     * on receive ({@code coalescing}); either is used only when the kernel accepts its option.
     * Package-private: the switch that tests and the throughput measurement use.
     */
    static LinuxUdpTransport open(TransportConfig config, boolean segmentation, boolean coalescing)
            throws IOException {
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
            InetSocketAddress local = SockaddrCodec.bind(fd, bind, family);
            setInt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_RXQ_OVFL, "SO_RXQ_OVFL", 1);
            // Probe GSO without changing anything: a socket-wide segment size of 0 is the default.
            boolean gso = segmentation && setOptional(fd, SocketConstants.UDP_SEGMENT, "UDP_SEGMENT", 0);
            boolean gro = coalescing && setOptional(fd, SocketConstants.UDP_GRO, "UDP_GRO", 1);
            wakeFd = LibC.eventfd(0, Fcntl.EFD_NONBLOCK | Fcntl.EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw Errno.lastException("eventfd(udp " + local + ")");
            }
            LinuxUdpTransport transport = new LinuxUdpTransport(fd, wakeFd, family, local, gso, gro);
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

    /** A SOL_UDP option that older kernels lack: false when the kernel does not know it. */
    private static boolean setOptional(int fd, int option, String optionName, int value) throws IOException {
        if (LibC.setsockopt(fd, SocketConstants.SOL_UDP, option, new int[] {value}, 4) == 0) {
            return true;
        }
        int errno = Errno.last();
        if (errno == Errno.ENOPROTOOPT || errno == Errno.EINVAL || errno == Errno.EOPNOTSUPP) {
            return false;
        }
        throw Errno.exception("setsockopt(" + optionName + ", " + value + ")", errno);
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
     * See {@link DatagramTransport#receiveBufferDrops()}: the kernel's drop counter for this socket
     * ({@code SO_RXQ_OVFL}), as attached to the last datagram of each {@code recvmmsg}, so a drop
     * shows once a datagram queued after it has been received. The kernel counts in it every
     * datagram it dropped at this socket, which on a healthy host means a full receive buffer
     * (also, rarely, a bad checksum or memory pressure). Any thread; 0 until the first drop is seen.
     */
    @Override
    public long receiveBufferDrops() {
        return receiveBufferDrops;
    }

    /** True while sends use UDP GSO (requested at open, accepted by the kernel, never refused since). */
    public boolean segmentationOffload() {
        return segmentation;
    }

    /** True when the kernel may hand this socket coalesced datagrams (UDP GRO), which receive splits. */
    public boolean receiveCoalescing() {
        return coalescing;
    }

    /** Receiving thread: coalesced (GRO) messages split so far. For tests. */
    long coalescedMessages() {
        return coalescedMessages;
    }

    /** Sets an int socket option; for tests that provoke a kernel refusal. */
    void setOption(int level, int option, String optionName, int value) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            setInt(guard.fd(), level, option, optionName, value);
        } finally {
            guard.exit();
        }
    }

    /**
     * GSO messages the kernel refused with EIO, EINVAL or EMSGSIZE (no checksum offload on the
     * route, checksums turned off, segment larger than the path MTU); after the first, this transport sends one datagram per message.
     * The datagrams of a refused message were sent again one by one.
     */
    public long segmentationFallbacks() {
        return segmentationFallbacks.get();
    }

    /**
     * Receiving thread only. See {@link DatagramTransport#receive}. One {@code recvmmsg} fills up to
     * {@value MessageArray#CAPACITY} buffers (a larger batch takes further calls while the previous
     * one filled every buffer it offered). The socket is non-blocking, so a call takes only what is
     * queued; when nothing is, the call waits in {@code poll} for the first datagram, which gives
     * {@code MSG_WAITFORONE}'s behaviour while staying wakeable by {@link #close()}.
     *
     * <p>With UDP GRO the kernel may queue several datagrams of one sender as one coalesced
     * message; such messages are received into this transport's own 64 KiB buffers and each
     * datagram copied into the next buffer of the batch. Datagrams that do not fit in the batch stay
     * here and start the next call's result, before any new system call.
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
            int count = coalescing ? takePending(batch, 0) : 0;
            while (count < wanted) {
                int chunk = Math.min(wanted - count, MessageArray.CAPACITY);
                if (coalescing) {
                    prepareScratch(chunk);
                } else {
                    for (int i = 0; i < chunk; i++) {
                        PacketBuffer packet = batch.get(count + i);
                        ByteBuffer data = packet.data();
                        int offset = packet.offset();
                        received.span(i, received.addresses().addressOf(data, offset), data.capacity() - offset);
                        received.prepareReceive(i);
                    }
                }
                int n = receiveChunk(chunk, count > 0, batch);
                if (n < 0) {
                    return count > 0 ? count : -1;
                }
                if (n == 0) {
                    break;
                }
                noteDrops(received.controlValue(n - 1, SocketConstants.SOL_SOCKET, SocketConstants.SO_RXQ_OVFL));
                if (coalescing) {
                    pendingMessages = n;
                    pendingMessage = 0;
                    pendingOffset = 0;
                    count = takePending(batch, count);
                    if (pendingMessage < pendingMessages) {
                        break; // the batch is full
                    }
                } else {
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
                }
                if (n < chunk) {
                    break;
                }
            }
            return count;
        } finally {
            guard.exit();
        }
    }

    /** Points the first {@code chunk} messages at the scratch buffers, allocating any missing. */
    private void prepareScratch(int chunk) {
        if (scratch.length < chunk) {
            ByteBuffer[] grown = Arrays.copyOf(scratch, chunk);
            for (int i = scratch.length; i < chunk; i++) {
                grown[i] = ByteBuffer.allocateDirect(SCRATCH_BYTES);
            }
            scratch = grown;
        }
        for (int i = 0; i < chunk; i++) {
            received.span(i, received.addresses().addressOf(scratch[i], 0), SCRATCH_BYTES);
            received.prepareReceive(i);
        }
    }

    /**
     * Copies pending datagrams (segments of the messages the last {@code recvmmsg} put in the
     * scratch buffers) into the batch from buffer {@code count} on, while both last.
     *
     * @return the new count of buffers filled
     */
    private int takePending(PacketBatch batch, int count) {
        int wanted = batch.size();
        while (count < wanted && pendingMessage < pendingMessages) {
            int m = pendingMessage;
            int length = received.messageLength(m);
            boolean cut = (received.flags(m) & SocketConstants.MSG_TRUNC) != 0;
            if (cut) {
                length = Math.min(length, SCRATCH_BYTES);
            }
            long segment = received.controlValue(m, SocketConstants.SOL_UDP, SocketConstants.UDP_GRO);
            int segmentBytes = segment > 0 && !cut ? (int) Math.min(segment, length) : length;
            InetSocketAddress source = received.source(m);
            ByteBuffer from = scratch[m];
            if (pendingOffset == 0 && segmentBytes < length) {
                coalescedMessages++;
            }
            while (count < wanted && pendingOffset < length) {
                int datagram = Math.min(segmentBytes, length - pendingOffset);
                PacketBuffer packet = batch.get(count);
                int space = packet.capacity() - packet.offset();
                int copied = Math.min(datagram, space);
                if (copied < datagram || cut) {
                    truncatedDatagrams++;
                }
                packet.data().put(packet.offset(), from, pendingOffset, copied);
                packet.length(copied);
                packet.address(source);
                pendingOffset += datagram;
                count++;
            }
            if (pendingOffset >= length) {
                pendingMessage++;
                pendingOffset = 0;
            }
        }
        return count;
    }

    /** Folds the kernel's cumulative drop counter ({@code __u32}, -1 when absent) into {@link #receiveBufferDrops}. */
    private void noteDrops(long counter) {
        if (counter < 0 || counter == lastDropCounter) {
            return;
        }
        receiveBufferDrops += (counter - lastDropCounter) & 0xffffffffL;
        lastDropCounter = counter;
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
     * stops early, sending resumes after the message it stopped at; datagrams refused for a
     * passing reason (no route, buffer full, ICMP error reported, firewall, address family the
     * socket cannot reach) count in {@link #sendErrors()} and are skipped.
     *
     * <p>With UDP GSO, consecutive buffers to the same destination with the same length (the last
     * of such a run may be shorter), at most {@value #GSO_MAX_SEGMENTS} and {@value #GSO_MAX_BYTES}
     * bytes together, go as one message whose iovecs point at each buffer (no copy) and whose
     * {@code UDP_SEGMENT} control message tells the kernel where to cut. The result and
     * {@link #sendErrors()} still count datagrams: a refused GSO message counts all it carried.
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
            DirectAddressCache addresses = out.addresses();
            int size = batch.size();
            int sent = 0;
            int next = 0;
            while (next < size) {
                boolean gso = segmentation;
                int messages = 0;
                int iovecs = 0;
                boolean missing = false;
                while (next < size && messages < MessageArray.CAPACITY && iovecs < MessageArray.CAPACITY) {
                    PacketBuffer packet = batch.get(next);
                    InetSocketAddress destination = packet.address();
                    if (destination == null) {
                        missing = true;
                        break;
                    }
                    next++;
                    if (!out.destination(messages, destination, family)) {
                        sendErrors.incrementAndGet();
                        continue;
                    }
                    int segmentBytes = packet.length();
                    out.span(iovecs, addresses.addressOf(packet.data(), packet.offset()), segmentBytes);
                    int count = 1;
                    if (gso && segmentBytes > 0) {
                        int limit = Math.min(GSO_MAX_SEGMENTS, MessageArray.CAPACITY - iovecs);
                        int total = segmentBytes;
                        while (next < size && count < limit) {
                            PacketBuffer more = batch.get(next);
                            int length = more.length();
                            InetSocketAddress to = more.address();
                            if (length == 0 || length > segmentBytes || total + length > GSO_MAX_BYTES || to == null
                                    || (to != destination && !to.equals(destination))) {
                                break;
                            }
                            out.span(iovecs + count, addresses.addressOf(more.data(), more.offset()), length);
                            count++;
                            total += length;
                            next++;
                            if (length < segmentBytes) {
                                break; // only the last of a run may be shorter
                            }
                        }
                    }
                    out.message(messages, iovecs, count, count > 1 ? segmentBytes : 0);
                    iovecs += count;
                    messages++;
                }
                sent += sendMessages(out, messages, batch);
                if (missing) {
                    throw new IllegalArgumentException(
                            "datagram without a destination address on an unconnected transport");
                }
            }
            return sent;
        } finally {
            guard.exit();
        }
    }

    /** Sends the first {@code messages} prepared messages of {@code out}; returns how many datagrams went. */
    private int sendMessages(MessageArray out, int messages, PacketBatch batch) throws IOException {
        int start = 0;
        int sent = 0;
        while (start < messages) {
            if (!segmentation && out.datagrams(start) > 1) {
                // Built before GSO was refused: not worth another refusal.
                sent += sendSingly(out, start);
                start++;
                continue;
            }
            int n = LibC.sendmmsg(guard.fd(), out.address(start), messages - start, 0);
            Reference.reachabilityFence(batch); // keeps every buffer's memory alive through the call
            out.keepAlive();
            if (n > 0) {
                for (int i = start; i < start + n; i++) {
                    sent += out.datagrams(i);
                }
                start += n;
                continue;
            }
            if (n == 0) {
                throw new IOException("sendmmsg(" + localAddress + ", " + (messages - start)
                        + " messages): sent none and reported no error");
            }
            // The kernel reports an error only for the first message of a call: skip that one.
            int errno = Errno.last();
            if (errno == Errno.EINTR) {
                continue;
            }
            int datagrams = out.datagrams(start);
            if (datagrams > 1 && (errno == Errno.EIO || errno == Errno.EINVAL || errno == Errno.EMSGSIZE)) {
                // GSO refused for this socket or route (EMSGSIZE: segment above the path MTU, where a
                // single datagram would be fragmented): remember, and send this message's datagrams singly.
                segmentation = false;
                segmentationFallbacks.incrementAndGet();
                sent += sendSingly(out, start);
                start++;
                continue;
            }
            if (isPassing(errno)) {
                sendErrors.addAndGet(datagrams);
                start++;
                continue;
            }
            throw Errno.exception("sendmmsg(" + out.destinationOf(start) + ", " + out.spanLength(out.firstIovec(start))
                    + " bytes" + (datagrams > 1 ? " x " + datagrams + " segments" : "") + ")", errno);
        }
        return sent;
    }

    /** Sends the datagrams of GSO message {@code slot} one per message, rewriting that slot; returns how many went. */
    private int sendSingly(MessageArray out, int slot) throws IOException {
        int first = out.firstIovec(slot);
        int datagrams = out.datagrams(slot);
        int sent = 0;
        for (int i = first; i < first + datagrams; i++) {
            out.message(slot, i, 1, 0);
            int n;
            do {
                n = LibC.sendmmsg(guard.fd(), out.address(slot), 1, 0);
            } while (n < 0 && Errno.last() == Errno.EINTR);
            out.keepAlive();
            if (n == 1) {
                sent++;
                continue;
            }
            int errno = n < 0 ? Errno.last() : Errno.EAGAIN;
            if (!isPassing(errno)) {
                throw Errno.exception("sendmmsg(" + out.destinationOf(slot) + ", " + out.spanLength(i) + " bytes)",
                        errno);
            }
            sendErrors.incrementAndGet();
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
