package io.mlvpn.api.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link PacketDevice} contract, run by every device implementation through a subclass that
 * supplies the factory and a way to feed and observe the device from outside.
 *
 * <p>A subclass of a real device keeps the device quiet (no traffic of its own, for example with
 * IPv6 disabled on it) or tells the suite which packets to ignore with
 * {@link #isUnrelatedInbound(byte[])}. Each test runs in its own thread with a time limit, so a
 * device that loses a packet fails the test instead of hanging the build.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class PacketDeviceContract {
    /** Headroom the suite leaves in front of every packet it reads or writes. */
    protected static final int HEADROOM = 48;
    /** Byte written into the headroom to check that the device leaves it alone. */
    private static final byte HEADROOM_MARK = (byte) 0x5A;
    /** How long a test waits for a packet or a thread, in milliseconds. */
    protected static final long WAIT_MILLIS = 2_000;

    private PacketDevice device;

    /** Opens a fresh device for one test; the suite closes it. */
    protected abstract PacketDevice openDevice() throws Exception;

    /** Makes {@code packet} arrive at the device so that {@link PacketDevice#read} returns it. */
    protected abstract void injectInbound(PacketDevice device, byte[] packet) throws Exception;

    /**
     * Waits for the next packet the device passed on after {@link PacketDevice#write}.
     *
     * @return the packet, or {@code null} when none came within the timeout
     */
    protected abstract byte[] awaitOutbound(PacketDevice device, long timeoutMillis) throws Exception;

    /** Whether a packet read from the device is not one the suite injected (system noise). */
    protected boolean isUnrelatedInbound(byte[] packet) {
        return false;
    }

    /**
     * A packet of {@code length} bytes the device can carry: by default an IPv4/UDP packet from
     * 192.0.2.1:40000 to 198.51.100.1:40001 with correct checksums and a payload that depends on
     * the length, so packets of different lengths differ. A subclass changes the addresses to
     * what its system routes.
     *
     * @param length at least 28
     */
    protected byte[] samplePacket(int length) {
        return Ipv4UdpPackets.build(length, new byte[] {(byte) 192, 0, 2, 1}, 40000,
                new byte[] {(byte) 198, 51, 100, 1}, 40001);
    }

    @BeforeEach
    void openDeviceForTest() throws Exception {
        device = openDevice();
        assertNotNull(device, "openDevice() returned null");
    }

    @AfterEach
    void closeDeviceAfterTest() throws Exception {
        device.close();
    }

    /** The device under test. */
    protected final PacketDevice device() {
        return device;
    }

    @Test
    void identityIsSane() {
        assertNotNull(device.name());
        assertFalse(device.name().isBlank(), "blank name");
        assertNotNull(device.type());
        assertTrue(device.mtu() >= 68 && device.mtu() <= 65535, "mtu " + device.mtu());
    }

    @Test
    void readReturnsInjectedPacketAtBufferOffset() throws Exception {
        byte[] packet = samplePacket(100);
        injectInbound(device, packet);
        PacketBatch batch = batchOf(1, bufferCapacity());
        List<byte[]> read = readPackets(batch, 1);
        assertArrayEquals(packet, read.get(0));
    }

    @Test
    void batchReadReturnsSeveralPacketsInOrder() throws Exception {
        byte[][] packets = {samplePacket(60), samplePacket(120), samplePacket(180)};
        for (byte[] packet : packets) {
            injectInbound(device, packet);
        }
        PacketBatch batch = batchOf(4, bufferCapacity());
        List<byte[]> read = readPackets(batch, packets.length);
        for (int i = 0; i < packets.length; i++) {
            assertArrayEquals(packets[i], read.get(i), "packet " + i);
        }
    }

    @Test
    void readTruncatesPacketToBufferSpace() throws Exception {
        byte[] packet = samplePacket(200);
        injectInbound(device, packet);
        PacketBatch batch = batchOf(1, 128);
        List<byte[]> read = readPackets(batch, 1);
        byte[] expected = new byte[128 - HEADROOM];
        System.arraycopy(packet, 0, expected, 0, expected.length);
        assertArrayEquals(expected, read.get(0));
    }

    @Test
    void writeDeliversBatchInOrder() throws Exception {
        byte[][] packets = {samplePacket(80), samplePacket(160), samplePacket(240)};
        PacketBatch batch = new PacketBatch(packets.length);
        for (byte[] packet : packets) {
            PacketBuffer buffer = new PacketBuffer(bufferCapacity());
            buffer.data().put(HEADROOM, packet);
            buffer.span(HEADROOM, packet.length);
            batch.add(buffer);
        }
        device.write(batch);
        for (int i = 0; i < packets.length; i++) {
            byte[] out = awaitOutbound(device, WAIT_MILLIS);
            assertNotNull(out, "packet " + i + " not passed on within " + WAIT_MILLIS + " ms");
            assertArrayEquals(packets[i], out, "packet " + i);
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        device.close();
        device.close();
        assertEquals(-1, device.read(batchOf(1, bufferCapacity())));
    }

    @Test
    void closeWakesBlockedRead() throws Exception {
        PacketBatch batch = batchOf(1, bufferCapacity());
        AtomicReference<Object> result = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            started.countDown();
            try {
                result.set(device.read(batch));
            } catch (Throwable t) {
                result.set(t);
            }
        }, "contract-device-reader");
        reader.setDaemon(true);
        reader.start();
        assertTrue(started.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        awaitBlocked(reader);
        device.close();
        reader.join(WAIT_MILLIS);
        assertFalse(reader.isAlive(), "read still blocked " + WAIT_MILLIS + " ms after close");
        assertEquals(-1, result.get(), "read result after close");
    }

    @Test
    void readAfterCloseReturnsMinusOneEvenWithPacketQueued() throws Exception {
        injectInbound(device, samplePacket(100));
        device.close();
        assertEquals(-1, device.read(batchOf(2, bufferCapacity())));
        assertEquals(-1, device.read(batchOf(2, bufferCapacity())));
    }

    @Test
    void writeAfterCloseThrowsClosedChannelException() throws Exception {
        device.close();
        PacketBatch batch = new PacketBatch(1);
        PacketBuffer buffer = new PacketBuffer(bufferCapacity());
        byte[] packet = samplePacket(100);
        buffer.data().put(HEADROOM, packet);
        batch.add(buffer.span(HEADROOM, packet.length));
        assertThrows(ClosedChannelException.class, () -> device.write(batch));
    }

    /** Buffer capacity for a full-size packet: headroom, MTU and room for a tag. */
    protected final int bufferCapacity() {
        return HEADROOM + device.mtu() + 64;
    }

    private static PacketBatch batchOf(int buffers, int capacity) {
        PacketBatch batch = new PacketBatch(buffers);
        for (int i = 0; i < buffers; i++) {
            batch.add(new PacketBuffer(capacity));
        }
        return batch;
    }

    /**
     * Reads until {@code wanted} related packets came, checking on every call that the count is
     * in range, that each packet starts at the offset and that the headroom is untouched.
     */
    private List<byte[]> readPackets(PacketBatch batch, int wanted) throws Exception {
        List<byte[]> packets = new ArrayList<>();
        while (packets.size() < wanted) {
            for (int i = 0; i < batch.size(); i++) {
                PacketBuffer buffer = batch.get(i);
                buffer.clear().span(HEADROOM, 0);
                for (int j = 0; j < HEADROOM; j++) {
                    buffer.data().put(j, HEADROOM_MARK);
                }
            }
            int n = device.read(batch);
            assertTrue(n >= 1 && n <= batch.size(), "read returned " + n + " for " + batch.size() + " buffers");
            for (int i = 0; i < n; i++) {
                PacketBuffer buffer = batch.get(i);
                assertEquals(HEADROOM, buffer.offset(), "offset of packet " + i);
                for (int j = 0; j < HEADROOM; j++) {
                    assertEquals(HEADROOM_MARK, buffer.data().get(j), "headroom byte " + j + " changed");
                }
                byte[] packet = new byte[buffer.length()];
                buffer.data().get(buffer.offset(), packet);
                if (!isUnrelatedInbound(packet)) {
                    packets.add(packet);
                }
            }
        }
        assertEquals(wanted, packets.size(), "more packets than injected");
        return packets;
    }

    /**
     * Waits (at most 200 ms) until the thread is parked, so that close really
     * interrupts a blocked read. A thread blocked in a native read looks RUNNABLE; for it the
     * wait ends at the deadline, which only makes the test start closing later.
     */
    private static void awaitBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.TERMINATED) {
                return;
            }
            // join with a timeout rather than sleep: it returns early if the thread ends.
            thread.join(5);
        }
    }
}
