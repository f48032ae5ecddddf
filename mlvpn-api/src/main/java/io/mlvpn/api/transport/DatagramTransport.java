package io.mlvpn.api.transport;

import io.mlvpn.api.packet.PacketBatch;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One bound UDP socket that a link sends and receives its datagrams on.
 *
 * <p><b>Threading.</b> One thread calls {@link #receive}; any thread may call {@link #send} (the
 * implementation makes concurrent sends safe); {@link #close()} may be called from any thread, any
 * number of times.
 *
 * <p><b>Ownership.</b> The batch and its buffers belong to the caller; the transport uses them
 * only during the call.
 *
 * <p><b>Wake-up and close.</b> {@code close()} makes a {@code receive} blocked in another thread
 * return {@code -1} promptly; after close every {@code receive} returns {@code -1} and every
 * {@code send} throws {@link java.nio.channels.ClosedChannelException}.
 */
public interface DatagramTransport extends Closeable {

    /** The bound local address (with the port the system chose when 0 was asked). */
    InetSocketAddress localAddress();

    /**
     * Blocks until at least one datagram arrives, then fills buffers {@code 0 .. n-1}, each from
     * its current offset, setting length and source {@link io.mlvpn.api.packet.PacketBuffer#address()}.
     * A datagram larger than a buffer's space is truncated and its length set to that space.
     *
     * @return datagrams received, at least 1; {@code -1} once closed
     * @throws IOException when the socket fails
     */
    int receive(PacketBatch batch) throws IOException;

    /**
     * Sends every buffer of the batch as one datagram to its address. A datagram the network
     * refuses for a passing reason (no route, buffer full, ICMP error) is counted in
     * {@link #sendErrors()} and skipped, not thrown, so that one bad path cannot stall a batch.
     *
     * @return datagrams handed to the system
     * @throws java.nio.channels.ClosedChannelException after {@link #close()}
     * @throws IOException when the socket itself is broken
     */
    int send(PacketBatch batch) throws IOException;

    /** Datagrams {@link #send} skipped because the system refused them, since open. */
    long sendErrors();

    /**
     * Datagrams the kernel dropped because this socket's receive buffer was full, since open: the
     * losses that happened on this host, before {@link #receive} could take them, as opposed to
     * losses on the path. A transport that learns the figure only from what it receives may report
     * it late (after the next datagram it takes).
     *
     * @return the count, or {@code -1} when the transport cannot tell (the default)
     */
    default long receiveBufferDrops() {
        return -1;
    }

    /** Idempotent; wakes a blocked receiver. */
    @Override
    void close() throws IOException;
}
