package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the real read/write loop (poll, readv/writev, the wake-up pipe, errno handling) on this
 * machine, with one end of an {@code AF_UNIX} datagram socket pair standing in for the device and
 * the other end playing the kernel. Datagram sockets keep packet boundaries and truncate what does
 * not fit, as tun devices do, so the header codec and batching are exercised for real on Linux CI.
 */
class PacketIoTest {
    private static final int HEADROOM = 16;

    private OsFamily os;
    private int kernelFd = -1;
    private PacketIo io;

    @BeforeEach
    void socketPair() {
        os = OsFamily.current();
        assumeTrue(os != OsFamily.OTHER, "needs Linux, FreeBSD, OpenBSD or macOS constants; os.name="
                + System.getProperty("os.name"));
        assumeTrue(Native.POINTER_SIZE == 8, "needs a 64-bit JVM");
    }

    @AfterEach
    void closeAll() throws IOException {
        if (io != null) {
            io.close();
        }
        Syscalls.closeQuietly(kernelFd);
    }

    private void open(boolean withHeader) throws IOException {
        int[] pair = new int[2];
        assertEquals(0, LibC.socketpair(SysSocket.AF_UNIX, SysSocket.SOCK_DGRAM, 0, pair), "socketpair");
        kernelFd = pair[1];
        io = PacketIo.create(os, pair[0], "test0", withHeader ? AfHeader.forOs(os) : null);
    }

    private static byte[] ipv4(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        p[0] = 0x45;
        return p;
    }

    private static byte[] ipv6(int length) {
        byte[] p = ipv4(length);
        p[0] = 0x60;
        return p;
    }

    private static byte[] header(int family) {
        return new byte[] {(byte) (family >>> 24), (byte) (family >>> 16), (byte) (family >>> 8), (byte) family};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private void kernelSends(byte[] datagram) {
        Memory m = new Memory(datagram.length);
        m.write(0, datagram, 0, datagram.length);
        assertEquals(datagram.length, LibC.write(kernelFd, Pointer.nativeValue(m), datagram.length), "kernel write");
    }

    private byte[] kernelReceives() {
        Memory m = new Memory(4096);
        long n = LibC.read(kernelFd, Pointer.nativeValue(m), 4096);
        assertTrue(n >= 0, "kernel read errno " + Native.getLastError());
        return m.getByteArray(0, (int) n);
    }

    private static PacketBuffer filled(byte[] packet) {
        PacketBuffer b = new PacketBuffer(2048);
        b.data().put(HEADROOM, packet);
        b.span(HEADROOM, packet.length);
        return b;
    }

    private static PacketBatch emptyBatch(int count, int capacity) {
        PacketBatch batch = new PacketBatch(count);
        for (int i = 0; i < count; i++) {
            PacketBuffer b = new PacketBuffer(capacity);
            for (int j = 0; j < HEADROOM; j++) {
                b.data().put(j, (byte) 0x7f);
            }
            b.span(HEADROOM, 0);
            batch.add(b);
        }
        return batch;
    }

    private static byte[] packetOf(PacketBuffer b) {
        byte[] out = new byte[b.length()];
        b.data().get(b.offset(), out);
        return out;
    }

    @Test
    void writePrependsTheFamilyOfEachPacketsIpVersion() throws IOException {
        open(true);
        byte[] v4 = ipv4(60);
        byte[] v6 = ipv6(80);
        PacketBatch batch = new PacketBatch(2);
        batch.add(filled(v4));
        batch.add(filled(v6));
        io.write(batch);
        assertArrayEquals(concat(header(SysSocket.AF_INET), v4), kernelReceives());
        assertArrayEquals(concat(header(SysSocket.afInet6(os)), v6), kernelReceives());
        assertEquals(0, io.droppedWrites());
    }

    @Test
    void readStripsTheHeaderAndFillsFromTheOffsetDrainingWhatIsQueued() throws IOException {
        open(true);
        byte[] v4 = ipv4(100);
        byte[] v6 = ipv6(1280);
        kernelSends(concat(header(SysSocket.AF_INET), v4));
        kernelSends(concat(header(SysSocket.afInet6(os)), v6));
        PacketBatch batch = emptyBatch(4, 2048);
        assertEquals(2, io.read(batch));
        assertEquals(HEADROOM, batch.get(0).offset());
        assertArrayEquals(v4, packetOf(batch.get(0)));
        assertArrayEquals(v6, packetOf(batch.get(1)));
        for (int j = 0; j < HEADROOM; j++) {
            assertEquals(0x7f, batch.get(0).data().get(j), "headroom byte " + j + " untouched");
        }
        assertEquals(0, batch.get(2).length());
        assertEquals(0, io.truncatedReads());
    }

    @Test
    void readDropsAndCountsPacketsWithUnknownOrMissingHeaders() throws IOException {
        open(true);
        byte[] v4 = ipv4(40);
        kernelSends(concat(header(99), v4));
        kernelSends(new byte[] {0, 0});
        kernelSends(concat(header(SysSocket.AF_INET), v4));
        PacketBatch batch = emptyBatch(1, 256);
        assertEquals(1, io.read(batch));
        assertArrayEquals(v4, packetOf(batch.get(0)));
        assertEquals(2, io.droppedReads());
    }

    @Test
    void writeDropsAndCountsEmptyAndNonIpPackets() throws IOException {
        open(true);
        byte[] notIp = ipv4(40);
        notIp[0] = 0x15;
        PacketBuffer empty = new PacketBuffer(64);
        byte[] v4 = ipv4(40);
        PacketBatch batch = new PacketBatch(3);
        batch.add(filled(notIp));
        batch.add(empty);
        batch.add(filled(v4));
        io.write(batch);
        assertEquals(2, io.droppedWrites());
        assertArrayEquals(concat(header(SysSocket.AF_INET), v4), kernelReceives());
    }

    @Test
    void packetLargerThanTheSpaceIsTruncatedAndCounted() throws IOException {
        open(true);
        kernelSends(concat(header(SysSocket.AF_INET), ipv4(200)));
        PacketBatch batch = emptyBatch(1, 64 + HEADROOM);
        assertEquals(1, io.read(batch));
        assertEquals(64, batch.get(0).length());
        assertEquals(1, io.truncatedReads());
    }

    @Test
    void tapModeCarriesBareFramesBothWays() throws IOException {
        open(false);
        byte[] frame = ipv4(74);
        frame[0] = (byte) 0xff; // a broadcast destination MAC, not an IP version nibble
        PacketBatch out = new PacketBatch(1);
        out.add(filled(frame));
        io.write(out);
        assertArrayEquals(frame, kernelReceives());
        kernelSends(frame);
        PacketBatch in = emptyBatch(2, 2048);
        assertEquals(1, io.read(in));
        assertArrayEquals(frame, packetOf(in.get(0)));
        assertEquals(0, io.droppedWrites());
    }

    @Test
    void readBlocksUntilAPacketArrives() throws Exception {
        open(true);
        byte[] v4 = ipv4(48);
        PacketBatch batch = emptyBatch(2, 256);
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            started.countDown();
            try {
                result.set(io.read(batch));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-reader");
        reader.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        kernelSends(concat(header(SysSocket.AF_INET), v4));
        reader.join(5_000);
        assertFalse(reader.isAlive(), "reader still blocked");
        assertEquals(null, failure.get());
        assertEquals(1, result.get());
        assertArrayEquals(v4, packetOf(batch.get(0)));
    }

    @Test
    void closeWakesABlockedReaderAndReleasesTheDescriptors() throws Exception {
        open(true);
        PacketBatch batch = emptyBatch(1, 256);
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            started.countDown();
            try {
                result.set(io.read(batch));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-reader");
        reader.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        io.close();
        reader.join(5_000);
        assertFalse(reader.isAlive(), "close did not wake the reader");
        assertEquals(null, failure.get());
        assertEquals(-1, result.get());
        assertTrue(io.isReleased());
        // The device end is really closed: the kernel end can no longer send to it.
        Memory one = new Memory(1);
        assertEquals(-1, LibC.write(kernelFd, Pointer.nativeValue(one), 1));
    }

    @Test
    void afterCloseReadsReturnMinusOneWritesThrowAndCloseIsIdempotent() throws IOException {
        open(true);
        io.close();
        io.close();
        assertTrue(io.isClosed());
        assertTrue(io.isReleased());
        assertEquals(-1, io.read(emptyBatch(1, 128)));
        PacketBatch out = new PacketBatch(1);
        out.add(filled(ipv4(40)));
        assertThrows(ClosedChannelException.class, () -> io.write(out));
    }

    @Test
    void afterReleaseRunsOnceAfterTheDescriptorsClose() throws IOException {
        int[] pair = new int[2];
        assertEquals(0, LibC.socketpair(SysSocket.AF_UNIX, SysSocket.SOCK_DGRAM, 0, pair), "socketpair");
        kernelFd = pair[1];
        AtomicInteger runs = new AtomicInteger();
        io = PacketIo.create(os, pair[0], "test0", null, () -> {
            runs.incrementAndGet();
            return 0;
        });
        assertEquals(0, runs.get());
        io.close();
        io.close();
        assertEquals(1, runs.get());
        assertTrue(io.isReleased());
    }

    @Test
    void emptyBatchIsABug() throws IOException {
        open(true);
        assertThrows(IllegalArgumentException.class, () -> io.read(new PacketBatch(1)));
    }

    @Test
    void failingSyscallNamesCallAndErrno() throws IOException {
        open(true);
        // Shut the kernel end: writing then fails (ECONNREFUSED on Linux, EPIPE/ENOTCONN elsewhere).
        Syscalls.closeQuietly(kernelFd);
        kernelFd = -1;
        PacketBatch out = new PacketBatch(1);
        out.add(filled(ipv4(40)));
        IOException e = assertThrows(IOException.class, () -> io.write(out));
        assertTrue(e.getMessage().matches("write\\(\"test0\"\\): [A-Z0-9]+ \\(errno [0-9]+\\)"), e.getMessage());
    }
}
