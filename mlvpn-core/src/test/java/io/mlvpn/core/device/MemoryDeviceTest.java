package io.mlvpn.core.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MemoryDeviceTest {
    private static final int HEADROOM = 48;

    @Test
    void constructorRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryDevice("", DeviceType.TUN, 1400, 4));
        assertThrows(NullPointerException.class, () -> new MemoryDevice("m", null, 1400, 4));
        assertThrows(IllegalArgumentException.class, () -> new MemoryDevice("m", DeviceType.TUN, 67, 4));
        assertThrows(IllegalArgumentException.class, () -> new MemoryDevice("m", DeviceType.TUN, 65536, 4));
        assertThrows(IllegalArgumentException.class, () -> new MemoryDevice("m", DeviceType.TUN, 1400, 0));
        assertThrows(IllegalArgumentException.class, () -> new MemoryDevice("m", DeviceType.TUN, 1400, 65537));
        assertThrows(IllegalArgumentException.class, () -> new MemoryDevice("m", DeviceType.TUN, 1400, 4, 1399));
        assertThrows(IllegalArgumentException.class, () -> new MemoryDevice("m", DeviceType.TUN, 1400, 4, 65536));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MemoryDevice("m", DeviceType.TUN, 9000, 65536));
        assertEquals("queues need 1179648000 bytes > 268435456", e.getMessage());
    }

    @Test
    void fullInboundQueueRejectsAndCounts() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        byte[] packet = packet(100, 1);
        int accepted = 0;
        for (int i = 0; i < 6; i++) {
            if (device.inject(packet)) {
                accepted++;
            }
        }
        assertEquals(4, accepted);
        assertEquals(4, device.injected());
        assertEquals(2, device.rejected());
        assertEquals(4, device.read(batch(8, 1600)));
        assertTrue(device.inject(packet), "a slot is free again after read");
        assertEquals(5, device.injected());
    }

    @Test
    void fullOutboundQueueDropsAndCountsWithoutBlocking() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        PacketBatch batch = new PacketBatch(6);
        for (int i = 0; i < 6; i++) {
            batch.add(filled(packet(60 + i, i)));
        }
        device.write(batch);
        assertEquals(4, device.delivered());
        assertEquals(2, device.dropped());
        byte[] dst = new byte[1400];
        for (int i = 0; i < 4; i++) {
            assertEquals(60 + i, device.poll(dst));
            assertArrayEquals(packet(60 + i, i), Arrays.copyOf(dst, 60 + i));
        }
        assertEquals(-1, device.poll(dst));
    }

    @Test
    void injectLongerThanMaxPacketIsRefused() {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> device.inject(new byte[1401]));
        assertEquals("packet longer than 1400: 1401", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> device.inject(new byte[10], 5, 6));
        assertEquals(0, device.injected());
    }

    @Test
    void writeLongerThanMaxPacketIsCountedAsOversized() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        PacketBatch batch = new PacketBatch(2);
        batch.add(filled(packet(1401, 1)));
        batch.add(filled(packet(1400, 2)));
        device.write(batch);
        assertEquals(1, device.oversized());
        assertEquals(1, device.delivered());
        assertEquals(1400, device.poll(new byte[1400]));
    }

    @Test
    void packetAboveMtuUpToMaxPacketIsCarriedAndTruncatedToTheSpace() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4, 2000);
        byte[] big = packet(1800, 3);
        assertTrue(device.inject(big));
        PacketBatch batch = batch(1, 1500);
        assertEquals(1, device.read(batch));
        PacketBuffer buffer = batch.get(0);
        assertEquals(1500 - HEADROOM, buffer.length());
        assertEquals(1, device.truncated());
        byte[] got = new byte[buffer.length()];
        buffer.data().get(buffer.offset(), got);
        assertArrayEquals(Arrays.copyOf(big, got.length), got);
    }

    @Test
    void readClearsOffloadMetadata() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        PacketBatch batch = batch(1, 1600);
        batch.get(0).offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_TCPV4, 40, 1360, 20, 16);
        device.inject(packet(100, 1));
        assertEquals(1, device.read(batch));
        assertFalse(batch.get(0).offload().isSegmented());
        assertEquals(0, batch.get(0).offload().flags());
    }

    @Test
    void readOfEmptyBatchIsRefused() {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        assertThrows(IllegalArgumentException.class, () -> device.read(new PacketBatch(1)));
    }

    @Test
    void interruptedReadThrowsAndKeepsTheFlag() {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, () -> device.read(batch(1, 1600)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void pollIntoShortArrayThrowsAndKeepsThePacket() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        PacketBatch batch = new PacketBatch(1);
        batch.add(filled(packet(300, 1)));
        device.write(batch);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> device.poll(new byte[299]));
        assertEquals("dst shorter than the packet: 299 < 300", e.getMessage());
        assertEquals(300, device.poll(new byte[300]));
    }

    @Test
    void timedPollOfEmptyQueueTimesOut() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        assertEquals(-1, device.poll(new byte[1400], 10, TimeUnit.MILLISECONDS));
        assertEquals(-1, device.poll(new byte[1400], 0, TimeUnit.MILLISECONDS));
    }

    @Test
    void timedPollIsWokenByAWrite() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        AtomicInteger polled = new AtomicInteger(-2);
        Thread poller = new Thread(() -> {
            try {
                polled.set(device.poll(new byte[1400], 10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                polled.set(-3);
            }
        }, "test-poller");
        poller.start();
        PacketBatch batch = new PacketBatch(1);
        batch.add(filled(packet(77, 1)));
        device.write(batch);
        poller.join(5_000);
        assertFalse(poller.isAlive());
        assertEquals(77, polled.get());
    }

    @Test
    void closeWakesATimedPoll() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        AtomicInteger polled = new AtomicInteger(-2);
        Thread poller = new Thread(() -> {
            try {
                polled.set(device.poll(new byte[1400], 60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                polled.set(-3);
            }
        }, "test-poller");
        poller.start();
        device.close();
        poller.join(5_000);
        assertFalse(poller.isAlive(), "poll still waiting after close");
        assertEquals(-1, polled.get());
    }

    @Test
    void pollDrainsWhatWasWrittenBeforeClose() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        PacketBatch batch = new PacketBatch(1);
        batch.add(filled(packet(90, 1)));
        device.write(batch);
        device.close();
        assertTrue(device.isClosed());
        assertEquals(90, device.poll(new byte[1400], 1, TimeUnit.SECONDS));
        assertEquals(-1, device.poll(new byte[1400], 1, TimeUnit.SECONDS));
    }

    @Test
    void injectAfterCloseIsRefusedAndCounted() {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        device.close();
        assertFalse(device.inject(packet(100, 1)));
        assertEquals(1, device.rejected());
        assertEquals(0, device.injected());
    }

    @Test
    void injectByteBufferConsumesItsRemainingBytesOnlyWhenAccepted() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 1);
        ByteBuffer first = ByteBuffer.wrap(packet(120, 1));
        first.position(20);
        assertTrue(device.inject(first));
        assertEquals(first.limit(), first.position());
        ByteBuffer second = ByteBuffer.allocateDirect(50);
        assertFalse(device.inject(second), "queue of one is full");
        assertEquals(0, second.position());
        assertEquals(1, device.rejected());

        PacketBatch batch = batch(1, 1600);
        assertEquals(1, device.read(batch));
        byte[] got = new byte[batch.get(0).length()];
        batch.get(0).data().get(HEADROOM, got);
        assertArrayEquals(Arrays.copyOfRange(packet(120, 1), 20, 120), got);
    }

    @Test
    void injectedPacketsCrossThreadsIntactAndInOrder() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 8);
        int total = 50_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread injector = new Thread(() -> {
            try {
                byte[] p = new byte[1400];
                for (int seq = 0; seq < total; seq++) {
                    int length = stamp(p, seq);
                    while (!device.inject(p, 0, length)) {
                        Thread.yield();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-injector");
        injector.start();
        PacketBatch batch = batch(4, 1600);
        int expected = 0;
        while (expected < total) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).span(HEADROOM, 0);
            }
            int n = device.read(batch);
            for (int i = 0; i < n; i++) {
                checkStamp(batch.get(i), expected++);
            }
        }
        injector.join(5_000);
        assertEquals(null, failure.get());
        assertEquals(total, device.injected());
    }

    @Test
    void writtenPacketsCrossThreadsIntactAndInOrder() throws Exception {
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 8);
        int total = 50_000;
        AtomicInteger received = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread poller = new Thread(() -> {
            try {
                byte[] dst = new byte[1400];
                byte[] expected = new byte[1400];
                for (int seq = 0; seq < total; seq++) {
                    int length = device.poll(dst, 10, TimeUnit.SECONDS);
                    int expectedLength = stamp(expected, seq);
                    if (length != expectedLength || !Arrays.equals(dst, 0, length, expected, 0, length)) {
                        throw new AssertionError("packet " + seq + " differs, length " + length);
                    }
                    received.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-poller");
        poller.start();
        PacketBatch batch = new PacketBatch(1);
        PacketBuffer buffer = new PacketBuffer(1600);
        batch.add(buffer);
        byte[] p = new byte[1400];
        for (int seq = 0; seq < total; seq++) {
            int length = stamp(p, seq);
            buffer.data().put(HEADROOM, p, 0, length);
            buffer.span(HEADROOM, length);
            long droppedBefore = device.dropped();
            device.write(batch);
            while (device.dropped() != droppedBefore) {
                // The queue was full: the device dropped the packet, as it must; offer it again.
                Thread.yield();
                droppedBefore = device.dropped();
                device.write(batch);
            }
        }
        poller.join(10_000);
        assertEquals(null, failure.get());
        assertEquals(total, received.get());
        assertEquals(total, device.delivered());
    }

    @Test
    void steadyStateAllocatesNothing() throws Exception {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean,
                "this JVM has no com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) plain;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "thread allocation accounting unavailable");
        MemoryDevice device = new MemoryDevice("m", DeviceType.TUN, 1400, 4);
        byte[] packet = packet(1200, 5);
        byte[] dst = new byte[1400];
        PacketBatch batch = batch(2, 1600);
        long threadId = Thread.currentThread().getId();

        long checksum = cycle(device, packet, dst, batch, 50_000);
        long before = threads.getThreadAllocatedBytes(threadId);
        int iterations = 20_000;
        checksum += cycle(device, packet, dst, batch, iterations);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(70_000L * 1200, checksum, "every cycle moved one packet");
        assertTrue(allocated < iterations, "allocated " + allocated + " bytes in " + iterations + " cycles");
    }

    /** Inject, read, write back and poll one packet, {@code iterations} times; returns bytes polled. */
    private static long cycle(MemoryDevice device, byte[] packet, byte[] dst, PacketBatch batch, int iterations)
            throws Exception {
        long polledBytes = 0;
        PacketBatch one = new PacketBatch(1);
        for (int i = 0; i < iterations; i++) {
            batch.get(0).span(HEADROOM, 0);
            device.inject(packet, 0, packet.length);
            device.read(batch);
            one.add(batch.get(0));
            device.write(one);
            one.clear();
            polledBytes += device.poll(dst);
        }
        return polledBytes;
    }

    /** Writes a packet of a length depending on {@code seq}, stamped with it; returns the length. */
    private static int stamp(byte[] p, int seq) {
        int length = 20 + seq % 1300;
        p[0] = (byte) (seq >>> 24);
        p[1] = (byte) (seq >>> 16);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 4; i < length; i++) {
            p[i] = (byte) (seq + i);
        }
        return length;
    }

    private static void checkStamp(PacketBuffer buffer, int seq) {
        byte[] expected = new byte[1400];
        int length = stamp(expected, seq);
        assertEquals(length, buffer.length(), "length of packet " + seq);
        byte[] got = new byte[length];
        buffer.data().get(buffer.offset(), got);
        assertArrayEquals(Arrays.copyOf(expected, length), got, "packet " + seq);
    }

    private static byte[] packet(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 13 + seed);
        }
        return p;
    }

    private static PacketBuffer filled(byte[] packet) {
        PacketBuffer buffer = new PacketBuffer(HEADROOM + packet.length + 64);
        buffer.data().put(HEADROOM, packet);
        return buffer.span(HEADROOM, packet.length);
    }

    private static PacketBatch batch(int buffers, int capacity) {
        PacketBatch batch = new PacketBatch(buffers);
        for (int i = 0; i < buffers; i++) {
            batch.add(new PacketBuffer(capacity).span(HEADROOM, 0));
        }
        return batch;
    }
}
