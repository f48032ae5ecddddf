package io.mlvpn.core.device;

import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PacketDevice} in memory: the "outside" (a test, a demo, an embedder's own network
 * stack) {@linkplain #inject injects} packets that the engine then {@linkplain #read reads}, and
 * {@linkplain #poll polls} the packets the engine {@linkplain #write writes}.
 *
 * <p>Each direction is a bounded queue of {@code queuePackets} preallocated slots of
 * {@code maxPacketBytes} each: packets are copied in and out, nothing is allocated and no lock is
 * taken per packet. A full queue never blocks anyone: {@link #inject} returns {@code false} and
 * counts the packet in {@link #rejected()}; {@link #write} counts it in {@link #dropped()}.
 *
 * <p><b>Threading.</b> The queues are single-producer single-consumer: one engine thread calls
 * {@link #read}, one engine thread calls {@link #write}, one outside thread calls {@code inject}
 * and one outside thread calls {@code poll}. {@link #close()} and the counters may be called from
 * any thread.
 *
 * <p><b>Close.</b> Closing wakes a blocked {@code read} (which returns -1) and a blocked
 * {@code poll}; afterwards {@code read} returns -1, {@code write} throws
 * {@link ClosedChannelException} and {@code inject} refuses, while {@code poll} still drains what
 * the engine wrote before.
 */
public final class MemoryDevice implements PacketDevice {
    /** Smallest MTU accepted: IPv4's minimum. */
    public static final int MIN_MTU = 68;
    /** Largest MTU and packet accepted. */
    public static final int MAX_PACKET_BYTES = 65535;
    /** Most slots a queue may have. */
    public static final int MAX_QUEUE_PACKETS = 1 << 16;
    /** Most memory the two queues may take together, in bytes. */
    public static final long MAX_QUEUE_MEMORY_BYTES = 1L << 28;

    private final String name;
    private final DeviceType type;
    private final int mtu;
    private final int queuePackets;
    private final PacketSlotRing inbound;
    private final PacketSlotRing outbound;
    private volatile boolean closed;

    // Each counter has one writer thread, named beside it; others only read it.
    /** Injecting thread. */
    private volatile long rejectedCount;
    /** Engine writer thread. */
    private volatile long droppedCount;
    /** Engine writer thread. */
    private volatile long oversizedCount;
    /** Engine reader thread. */
    private volatile long truncatedCount;

    /**
     * Creates a device whose largest packet is its MTU.
     *
     * @param name         interface name it reports
     * @param type         TUN or TAP
     * @param mtu          {@value #MIN_MTU} to {@value #MAX_PACKET_BYTES} bytes
     * @param queuePackets slots per direction, 1 to {@value #MAX_QUEUE_PACKETS}
     * @throws IllegalArgumentException when an argument is out of range
     */
    public MemoryDevice(String name, DeviceType type, int mtu, int queuePackets) {
        this(name, type, mtu, queuePackets, mtu);
    }

    /**
     * Creates a device that carries packets up to {@code maxPacketBytes}, which may exceed the
     * MTU so that tests can feed the engine oversized packets.
     *
     * @param name           interface name it reports
     * @param type           TUN or TAP
     * @param mtu            {@value #MIN_MTU} to {@value #MAX_PACKET_BYTES} bytes
     * @param queuePackets   slots per direction, 1 to {@value #MAX_QUEUE_PACKETS}
     * @param maxPacketBytes largest packet either queue carries, {@code mtu} to
     *                       {@value #MAX_PACKET_BYTES}
     * @throws IllegalArgumentException when an argument is out of range, or the queues would
     *     take more than {@value #MAX_QUEUE_MEMORY_BYTES} bytes
     */
    public MemoryDevice(String name, DeviceType type, int mtu, int queuePackets, int maxPacketBytes) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty device name");
        }
        this.type = Objects.requireNonNull(type, "type");
        if (mtu < MIN_MTU || mtu > MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("mtu outside " + MIN_MTU + ".." + MAX_PACKET_BYTES + ": " + mtu);
        }
        if (queuePackets < 1 || queuePackets > MAX_QUEUE_PACKETS) {
            throw new IllegalArgumentException(
                    "queuePackets outside 1.." + MAX_QUEUE_PACKETS + ": " + queuePackets);
        }
        if (maxPacketBytes < mtu || maxPacketBytes > MAX_PACKET_BYTES) {
            throw new IllegalArgumentException(
                    "maxPacketBytes outside " + mtu + ".." + MAX_PACKET_BYTES + ": " + maxPacketBytes);
        }
        long memoryBytes = 2L * queuePackets * maxPacketBytes;
        if (memoryBytes > MAX_QUEUE_MEMORY_BYTES) {
            throw new IllegalArgumentException(
                    "queues need " + memoryBytes + " bytes > " + MAX_QUEUE_MEMORY_BYTES);
        }
        this.name = name;
        this.mtu = mtu;
        this.queuePackets = queuePackets;
        this.inbound = new PacketSlotRing(queuePackets, maxPacketBytes);
        this.outbound = new PacketSlotRing(queuePackets, maxPacketBytes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceType type() {
        return type;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Largest packet either direction carries, in bytes. */
    public int maxPacketBytes() {
        return inbound.slotBytes();
    }

    /** Slots per direction. */
    public int queuePackets() {
        return queuePackets;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    // ---- engine side ----

    /**
     * Engine reader thread: blocks until the outside injected a packet, then fills as many
     * buffers as there are queued packets. A packet longer than a buffer's space is truncated to
     * it and counted in {@link #truncated()}. Offload metadata is cleared (this device has none).
     *
     * @throws IllegalArgumentException when the batch holds no buffer
     * @throws InterruptedIOException   when the thread is interrupted while waiting (the interrupt
     *     flag stays set)
     */
    @Override
    public int read(PacketBatch batch) throws InterruptedIOException {
        int buffers = batch.size();
        if (buffers < 1) {
            throw new IllegalArgumentException("batch holds no buffer");
        }
        while (true) {
            if (closed) {
                return -1;
            }
            if (!inbound.isEmpty()) {
                break;
            }
            try {
                inbound.awaitPacketOrClose(-1L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("read(" + name + ") interrupted");
            }
        }
        int n = 0;
        while (n < buffers && !inbound.isEmpty()) {
            PacketBuffer buffer = batch.get(n);
            int space = buffer.capacity() - buffer.offset();
            int length = inbound.take(buffer.data(), buffer.offset(), space);
            if (length > space) {
                truncatedCount = truncatedCount + 1;
                length = space;
            }
            buffer.length(length);
            buffer.offload().clear();
            n++;
        }
        return n;
    }

    /**
     * Engine writer thread: queues every buffer's packet for the outside, in order. Never blocks:
     * a packet that finds the queue full is counted in {@link #dropped()}, one longer than
     * {@link #maxPacketBytes()} in {@link #oversized()}.
     *
     * @throws ClosedChannelException after {@link #close()}
     */
    @Override
    public void write(PacketBatch batch) throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        int maxPacketBytes = outbound.slotBytes();
        for (int i = 0, n = batch.size(); i < n; i++) {
            PacketBuffer buffer = batch.get(i);
            int length = buffer.length();
            if (length > maxPacketBytes) {
                oversizedCount = oversizedCount + 1;
            } else if (!outbound.offer(buffer.data(), buffer.offset(), length)) {
                droppedCount = droppedCount + 1;
            }
        }
    }

    /** Idempotent; wakes a blocked {@link #read} and a blocked {@link #poll(byte[], long, TimeUnit)}. */
    @Override
    public void close() {
        closed = true;
        inbound.close();
        outbound.close();
    }

    // ---- outside side ----

    /**
     * Injecting thread: queues {@code packet[offset, offset + length)} for the engine to read.
     *
     * @return {@code false} when the inbound queue is full or the device is closed (counted in
     *     {@link #rejected()})
     * @throws IllegalArgumentException  when {@code length} exceeds {@link #maxPacketBytes()}
     * @throws IndexOutOfBoundsException when the span is outside the array
     */
    public boolean inject(byte[] packet, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, packet.length);
        checkPacketLength(length);
        if (closed || !inbound.offer(packet, offset, length)) {
            rejectedCount = rejectedCount + 1;
            return false;
        }
        return true;
    }

    /**
     * Injecting thread: queues the whole array as one packet; see {@link #inject(byte[], int, int)}.
     */
    public boolean inject(byte[] packet) {
        return inject(packet, 0, packet.length);
    }

    /**
     * Injecting thread: queues {@code packet}'s remaining bytes as one packet; on success its
     * position moves to its limit, otherwise it is unchanged. See {@link #inject(byte[], int, int)}.
     */
    public boolean inject(ByteBuffer packet) {
        int length = packet.remaining();
        checkPacketLength(length);
        if (closed || !inbound.offer(packet, packet.position(), length)) {
            rejectedCount = rejectedCount + 1;
            return false;
        }
        packet.position(packet.limit());
        return true;
    }

    private void checkPacketLength(int length) {
        if (length > inbound.slotBytes()) {
            throw new IllegalArgumentException("packet longer than " + inbound.slotBytes() + ": " + length);
        }
    }

    /**
     * Polling thread: removes the next packet the engine wrote, copying it to the start of
     * {@code dst}. Works after close too, until the queue is empty.
     *
     * @return the packet's length, or -1 when none is queued
     * @throws IllegalArgumentException when the packet is longer than {@code dst} (it stays queued)
     */
    public int poll(byte[] dst) {
        int length = outbound.peekLength();
        if (length < 0) {
            return -1;
        }
        if (length > dst.length) {
            throw new IllegalArgumentException("dst shorter than the packet: " + dst.length + " < " + length);
        }
        return outbound.take(dst);
    }

    /**
     * Polling thread: like {@link #poll(byte[])}, waiting up to the timeout for a packet.
     *
     * @return the packet's length, or -1 on timeout or when the device is closed and drained
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public int poll(byte[] dst, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            int length = poll(dst);
            if (length >= 0) {
                return length;
            }
            long leftNanos = deadline - System.nanoTime();
            if (closed || leftNanos <= 0) {
                return -1;
            }
            outbound.awaitPacketOrClose(leftNanos);
        }
    }

    // ---- counters ----

    /** Packets the outside injected and the inbound queue accepted. */
    public long injected() {
        return inbound.offered();
    }

    /** Packets {@code inject} refused: inbound queue full or device closed. */
    public long rejected() {
        return rejectedCount;
    }

    /** Packets the engine wrote that the outbound queue accepted. */
    public long delivered() {
        return outbound.offered();
    }

    /** Packets the engine wrote while the outbound queue was full. */
    public long dropped() {
        return droppedCount;
    }

    /** Packets the engine wrote that were longer than {@link #maxPacketBytes()}. */
    public long oversized() {
        return oversizedCount;
    }

    /** Packets {@code read} truncated to a buffer's space. */
    public long truncated() {
        return truncatedCount;
    }

    @Override
    public String toString() {
        return "MemoryDevice[" + name + ", " + type.configName() + ", mtu=" + mtu + ", queue=" + queuePackets + "]";
    }
}
