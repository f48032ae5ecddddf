package io.mlvpn.api.packet;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One pooled packet: a direct {@link ByteBuffer} for system calls, the span of it that holds the
 * packet, and the metadata an SPI call fills in or reads.
 *
 * <p>The packet occupies {@code data()[offset, offset + length)}. The bytes before {@code offset}
 * are headroom where the engine writes its own header in place; the bytes after the packet up to
 * {@code capacity()} are room for the authentication tag. SPI implementations read and write the
 * packet through absolute {@code ByteBuffer} access or the buffer's address; they never change
 * the buffer's position, limit or mark in a way they do not restore.
 *
 * <p><b>Ownership.</b> A buffer belongs to whoever took it from its pool. An SPI call borrows the
 * buffers of the batch it is given for the duration of the call only and keeps no reference after
 * it returns. Not safe for concurrent use: one thread at a time, handed over through a queue.
 */
public final class PacketBuffer {
    private final ByteBuffer data;
    private int offset;
    private int length;
    private InetSocketAddress address;
    private final OffloadInfo offload = new OffloadInfo();
    private Object attachment;

    /**
     * Creates a buffer of {@code capacity} bytes of direct memory.
     *
     * @param capacity bytes; at least 64
     */
    public PacketBuffer(int capacity) {
        if (capacity < 64) {
            throw new IllegalArgumentException("capacity < 64: " + capacity);
        }
        this.data = ByteBuffer.allocateDirect(capacity);
    }

    /** The whole direct buffer; index 0 is the start of the headroom. */
    public ByteBuffer data() {
        return data;
    }

    /** Total bytes available, headroom included. */
    public int capacity() {
        return data.capacity();
    }

    /** Index of the first packet byte. */
    public int offset() {
        return offset;
    }

    /** Packet length in bytes. */
    public int length() {
        return length;
    }

    /** Index one past the last packet byte. */
    public int end() {
        return offset + length;
    }

    /**
     * Sets the span holding the packet.
     *
     * @throws IndexOutOfBoundsException when the span does not fit in the buffer
     */
    public PacketBuffer span(int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.capacity() - length) {
            throw new IndexOutOfBoundsException("span " + offset + "+" + length + " outside " + data.capacity());
        }
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Sets the packet length, keeping the offset. */
    public PacketBuffer length(int length) {
        return span(offset, length);
    }

    /**
     * The datagram peer: for a transport, the source of a received datagram or the destination of
     * one to send ({@code null} means the transport's connected peer). Unused by devices.
     */
    public InetSocketAddress address() {
        return address;
    }

    /** Sets the datagram peer; see {@link #address()}. */
    public PacketBuffer address(InetSocketAddress address) {
        this.address = address;
        return this;
    }

    /** Offload metadata (a tun device's {@code virtio_net_hdr}); all zero when unused. */
    public OffloadInfo offload() {
        return offload;
    }

    /**
     * What the buffer's owner attached to it, or {@code null}: the engine's pool attaches its own
     * per-buffer metadata here, so that it travels with the buffer rather than in its headroom.
     * SPI implementations neither read nor change it. It belongs to the buffer, not to the packet
     * in it, so {@link #clear()} keeps it.
     */
    public Object attachment() {
        return attachment;
    }

    /** Sets the owner's attachment ({@code null} for none); see {@link #attachment()}. */
    public PacketBuffer attachment(Object attachment) {
        this.attachment = attachment;
        return this;
    }

    /**
     * Resets span, address and offload metadata for reuse; the bytes and the
     * {@linkplain #attachment() attachment} are left as they are.
     */
    public PacketBuffer clear() {
        offset = 0;
        length = 0;
        address = null;
        offload.clear();
        return this;
    }

    @Override
    public String toString() {
        return "PacketBuffer[offset=" + offset + ", length=" + length + ", capacity=" + data.capacity() + "]";
    }
}
