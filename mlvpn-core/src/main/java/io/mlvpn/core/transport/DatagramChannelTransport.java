package io.mlvpn.core.transport;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The portable {@link DatagramTransport}: one unconnected, blocking {@link DatagramChannel}.
 *
 * <p>The socket's family follows the bind address: IPv4 for an IPv4 address, IPv6 for an IPv6
 * one (a wildcard IPv6 bind is dual-stack where the system allows it). {@code SO_REUSEADDR} is
 * off; {@code SO_RCVBUF} and {@code SO_SNDBUF} are set when configured above 0.
 *
 * <p><b>Receive</b> returns one datagram per call: a blocking channel cannot tell that the next
 * receive would block, and switching to non-blocking mode to drain would cost two system calls
 * per batch. Batched receives belong to the native transports. The datagram goes straight into
 * the buffer's direct memory; a datagram longer than the space is truncated by the system, which
 * reports no original length, so truncation is not counted. The sender's address object is the
 * JDK's cached one when the sender is unchanged, so steady traffic allocates nothing.
 *
 * <p><b>Send</b> needs an address on every buffer, since the channel is not connected: a
 * {@code null} address is an {@link IllegalArgumentException} (buffers before it were sent).
 *
 * <p><b>Buffers.</b> Both calls point {@code data()}'s position and limit at the packet for the
 * system call and restore them afterwards; a mark set beyond the packet's offset is discarded.
 *
 * <p><b>Threading</b> as {@link DatagramTransport}: one receiving thread, any number of sending
 * threads, close from anywhere. Interrupting a thread blocked in {@code receive} or {@code send}
 * closes the transport, as for every {@link java.nio.channels.InterruptibleChannel}.
 */
public final class DatagramChannelTransport implements DatagramTransport {
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final AtomicLong sendErrorCount = new AtomicLong();

    private DatagramChannelTransport(DatagramChannel channel, InetSocketAddress localAddress) {
        this.channel = channel;
        this.localAddress = localAddress;
    }

    /**
     * Opens and binds a transport.
     *
     * @throws IllegalArgumentException when the configuration names a bind interface, which this
     *     transport cannot honour
     * @throws IOException naming the failing step ({@code bind(127.0.0.1:5000): Address already in use})
     */
    public static DatagramChannelTransport open(TransportConfig config) throws IOException {
        if (config.bindInterface().isPresent()) {
            throw new IllegalArgumentException(
                    "datagram-channel does not support bind.interface: " + config.bindInterface().get());
        }
        InetSocketAddress bind = config.bindAddress();
        if (bind.isUnresolved()) {
            throw new IOException("bind(" + bind.getHostString() + ":" + bind.getPort() + "): unresolved address");
        }
        ProtocolFamily family = bind.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel channel = DatagramChannel.open(family);
        boolean opened = false;
        try {
            setOption(channel, StandardSocketOptions.SO_REUSEADDR, false);
            if (config.receiveBufferBytes() > 0) {
                setOption(channel, StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
            }
            if (config.sendBufferBytes() > 0) {
                setOption(channel, StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
            }
            try {
                channel.bind(bind);
            } catch (IOException e) {
                throw new IOException("bind(" + format(bind) + "): " + e.getMessage(), e);
            }
            channel.configureBlocking(true);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            DatagramChannelTransport transport = new DatagramChannelTransport(channel, local);
            opened = true;
            return transport;
        } finally {
            if (!opened) {
                channel.close();
            }
        }
    }

    private static <T> void setOption(DatagramChannel channel, SocketOption<T> option, T value)
            throws IOException {
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            throw new IOException("setsockopt(" + option.name() + ", " + value + "): " + e.getMessage(), e);
        }
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Blocks until a datagram arrives and puts it in buffer 0 from its offset, with its sender.
     *
     * @return 1, or -1 once closed
     * @throws IllegalArgumentException when the batch holds no buffer
     */
    @Override
    public int receive(PacketBatch batch) throws IOException {
        if (batch.size() < 1) {
            throw new IllegalArgumentException("batch holds no buffer");
        }
        PacketBuffer buffer = batch.get(0);
        ByteBuffer data = buffer.data();
        int savedPosition = data.position();
        int savedLimit = data.limit();
        int offset = buffer.offset();
        SocketAddress sender;
        int length;
        try {
            data.limit(data.capacity());
            data.position(offset);
            sender = channel.receive(data);
            length = data.position() - offset;
        } catch (ClosedChannelException e) {
            // Also AsynchronousCloseException and ClosedByInterruptException: close woke us.
            return -1;
        } finally {
            data.limit(savedLimit);
            data.position(savedPosition);
        }
        buffer.length(length);
        buffer.address((InetSocketAddress) sender);
        return 1;
    }

    /**
     * Sends each buffer's packet to its address, in order. A datagram the system refuses with an
     * {@link IOException} other than closure (no route, port unreachable, buffer full) is counted
     * in {@link #sendErrors()} and skipped.
     *
     * @throws IllegalArgumentException when a buffer has no address (earlier ones were sent)
     * @throws ClosedChannelException   after {@link #close()}
     */
    @Override
    public int send(PacketBatch batch) throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        int sent = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            PacketBuffer buffer = batch.get(i);
            InetSocketAddress target = buffer.address();
            if (target == null) {
                throw new IllegalArgumentException("buffer " + i + " has no address; datagram-channel is unconnected");
            }
            if (sendOne(buffer, target)) {
                sent++;
            }
        }
        return sent;
    }

    private boolean sendOne(PacketBuffer buffer, InetSocketAddress target) throws IOException {
        ByteBuffer data = buffer.data();
        int savedPosition = data.position();
        int savedLimit = data.limit();
        try {
            data.limit(data.capacity());
            data.position(buffer.offset());
            data.limit(buffer.end());
            // A blocking channel sends the whole datagram or throws.
            channel.send(data, target);
            return true;
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            sendErrorCount.incrementAndGet();
            return false;
        } finally {
            data.limit(savedLimit);
            data.position(savedPosition);
        }
    }

    @Override
    public long sendErrors() {
        return sendErrorCount.get();
    }

    /** Idempotent; wakes a blocked {@link #receive}. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "DatagramChannelTransport[" + format(localAddress) + "]";
    }
}
