package io.mlvpn.core.link;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import java.io.IOException;

/**
 * The datagrams the device reader sealed for one link while handling one read batch, sent
 * together with one {@link DatagramTransport#send} call so that a batching transport needs one
 * system call for them. Buffers are allocated once; owned by the device-reader thread, which
 * flushes it into the link's {@link SendSide}.
 */
public final class LinkSendQueue {
    private final PacketBuffer[] buffers;
    private final PacketBatch batch;
    private LinkSession session;
    private int queued;
    /** Whether the device reader has this queue in its list of queues to flush. */
    private boolean listed;

    /** A queue of {@code capacity} datagrams of up to {@code bufferCapacity} bytes each. */
    public LinkSendQueue(int capacity, int bufferCapacity) {
        this.buffers = new PacketBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            buffers[i] = new PacketBuffer(bufferCapacity);
        }
        this.batch = new PacketBatch(capacity);
    }

    /** Whether the device reader has this queue in its list of queues to flush. */
    public boolean listed() {
        return listed;
    }

    /** Records whether the device reader has this queue in its list of queues to flush. */
    public void listed(boolean listed) {
        this.listed = listed;
    }

    /** Whether no more datagram fits before a flush. */
    public boolean isFull() {
        return queued == buffers.length;
    }

    /** Whether nothing is queued. */
    public boolean isEmpty() {
        return queued == 0;
    }

    /** The next free buffer, cleared; the caller fills it and then calls {@link #commit}. */
    public PacketBuffer next() {
        return buffers[queued].clear();
    }

    /** Queues the buffer {@link #next()} returned, sealed under {@code s}. */
    public void commit(LinkSession s) {
        session = s;
        queued++;
    }

    /**
     * Sends everything queued on the link's transport and accounts for exactly what it accepted; a
     * broken socket is reported on the link (the timer reopens it). A transport that accepts part of
     * a batch does not say which datagrams it skipped, so the bytes counted are those of the first
     * datagrams, as many as it accepted: the count of datagrams is exact, their bytes nearly so (one
     * link's batch holds datagrams of one flow mix).
     */
    public void flush(SendSide link, long nowNanos) {
        if (queued == 0) {
            return;
        }
        DatagramTransport transport = link.link().transport();
        batch.clear();
        for (int i = 0; i < queued; i++) {
            batch.add(buffers[i]);
        }
        int n = queued;
        queued = 0;
        int sent;
        try {
            sent = transport == null ? 0 : Math.max(0, Math.min(n, transport.send(batch)));
        } catch (IOException e) {
            sent = 0;
            link.socketFailed(e.toString());
        }
        if (sent < n) {
            link.refused(session, n - sent);
        }
        link.offered(nowNanos);
        for (int i = 0; i < sent; i++) {
            link.sent(session, buffers[i].length());
        }
    }
}
