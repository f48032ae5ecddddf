package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.function.IntSupplier;

/**
 * The batched read/write loop over one non-blocking packet descriptor (a tun/tap device node or a
 * utun socket), with the optional 4-byte address-family header handled through
 * {@code readv}/{@code writev} so the packet itself is never copied.
 *
 * <p><b>Blocking and wake-up.</b> A read polls the device descriptor together with the read end of
 * a private pipe; {@link #close()} writes a byte into that pipe, so a reader (or a writer waiting
 * for room) blocked in {@code poll} returns at once. The descriptors are released by
 * {@link FdGuard} when the last call leaves.
 *
 * <p><b>Threading.</b> One reader thread and one writer thread at a time (each direction owns its
 * own native scratch memory and address cache); {@link #close()} from any thread. The per-packet
 * path allocates nothing.
 */
public final class PacketIo {
    private static final int STORED = 0;
    private static final int AGAIN = 1;
    private static final int DROPPED = 2;

    // Per-direction scratch: two pollfds, two iovecs, the 4-byte header.
    private static final int POLL_OFFSET = 0;
    private static final int IOV_OFFSET = 2 * PollFd.SIZE;
    private static final int HEADER_OFFSET = IOV_OFFSET + 2 * Iovec.SIZE;
    private static final int SCRATCH_SIZE = HEADER_OFFSET + AfHeader.LENGTH;
    private static final int ADDRESS_CACHE_SLOTS = 1024;

    private final OsFamily os;
    private final int eagain;
    private final int enobufs;
    private final int fd;
    private final int wakeReadFd;
    private final int wakeWriteFd;
    private final String name;
    private final AfHeader header;
    private final FdGuard guard;
    private final IntSupplier afterRelease;

    private final Memory readScratch = new Memory(SCRATCH_SIZE);
    private final Memory writeScratch = new Memory(SCRATCH_SIZE);
    private final Memory wakeByte = new Memory(1);
    private final long readPoll;
    private final long readIov;
    private final long writePoll;
    private final long writeIov;
    private final DirectAddressCache readAddresses = new DirectAddressCache(ADDRESS_CACHE_SLOTS);
    private final DirectAddressCache writeAddresses = new DirectAddressCache(ADDRESS_CACHE_SLOTS);

    // Single writer each (reader thread, writer thread); volatile so statistics see them.
    private volatile long truncatedReads;
    private volatile long droppedReads;
    private volatile long droppedWrites;

    private PacketIo(OsFamily os, int fd, int[] wakePipe, String name, AfHeader header, IntSupplier afterRelease) {
        this.os = os;
        this.eagain = Errno.eagain(os);
        this.enobufs = Errno.enobufs(os);
        this.fd = fd;
        this.wakeReadFd = wakePipe[0];
        this.wakeWriteFd = wakePipe[1];
        this.name = name;
        this.header = header;
        this.afterRelease = afterRelease;
        this.guard = new FdGuard(this::releaseDescriptors);
        this.readPoll = prepare(readScratch, Poll.POLLIN);
        this.writePoll = prepare(writeScratch, Poll.POLLOUT);
        this.readIov = readPoll + IOV_OFFSET;
        this.writeIov = writePoll + IOV_OFFSET;
        wakeByte.setByte(0, (byte) 1);
    }

    /**
     * Takes ownership of a packet descriptor: makes it (and a new wake-up pipe) non-blocking and
     * close-on-exec. On failure the descriptor is closed.
     *
     * @param header the address-family header codec, or {@code null} for bare packets (tap)
     */
    public static PacketIo create(OsFamily os, int fd, String name, AfHeader header) throws IOException {
        return create(os, fd, name, header, () -> 0);
    }

    /**
     * As {@link #create(OsFamily, int, String, AfHeader)}, running {@code afterRelease} once the
     * descriptors are closed (FreeBSD destroys the cloned interface there).
     *
     * @param afterRelease returns 0 or an errno
     */
    public static PacketIo create(OsFamily os, int fd, String name, AfHeader header, IntSupplier afterRelease)
            throws IOException {
        Syscalls sys = new Syscalls(os);
        int[] pipe = {-1, -1};
        try {
            sys.makeNonBlockingCloseOnExec(fd, name);
            pipe = sys.pipe();
            sys.makeNonBlockingCloseOnExec(pipe[0], "wake-up pipe");
            sys.makeNonBlockingCloseOnExec(pipe[1], "wake-up pipe");
            return new PacketIo(os, fd, pipe, name, header, afterRelease);
        } catch (IOException | RuntimeException e) {
            Syscalls.closeQuietly(pipe[0]);
            Syscalls.closeQuietly(pipe[1]);
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    private long prepare(Memory scratch, short deviceEvents) {
        scratch.clear();
        long base = Pointer.nativeValue(scratch);
        scratch.setInt(POLL_OFFSET + PollFd.OFFSET_FD, fd);
        scratch.setShort(POLL_OFFSET + PollFd.OFFSET_EVENTS, deviceEvents);
        scratch.setInt(POLL_OFFSET + PollFd.SIZE + PollFd.OFFSET_FD, wakeReadFd);
        scratch.setShort(POLL_OFFSET + PollFd.SIZE + PollFd.OFFSET_EVENTS, Poll.POLLIN);
        // iov[0] always points at the header scratch; iov[1] is set per packet.
        scratch.setLong(IOV_OFFSET + Iovec.OFFSET_BASE, base + HEADER_OFFSET);
        scratch.setLong(IOV_OFFSET + Iovec.OFFSET_LEN, AfHeader.LENGTH);
        return base;
    }

    /** The interface name, for messages. */
    public String name() {
        return name;
    }

    /** See {@link io.mlvpn.api.device.PacketDevice#read}. Reader thread only. */
    public int read(PacketBatch batch) throws IOException {
        int size = batch.size();
        if (size < 1) {
            throw new IllegalArgumentException("empty batch");
        }
        if (!guard.enter()) {
            return -1;
        }
        try {
            int filled = 0;
            while (filled < size) {
                int status = readOne(batch.get(filled));
                if (status == STORED) {
                    filled++;
                } else if (status == AGAIN) {
                    if (filled > 0) {
                        break;
                    }
                    if (!awaitReady(readScratch, readPoll)) {
                        return -1;
                    }
                }
                // DROPPED: read the next packet into the same buffer.
            }
            return filled;
        } finally {
            guard.exit();
        }
    }

    private int readOne(PacketBuffer packet) throws IOException {
        ByteBuffer data = packet.data();
        int offset = packet.offset();
        int space = data.capacity() - offset;
        long address = readAddresses.addressOf(data) + offset;
        long n;
        while (true) {
            if (header != null) {
                readScratch.setLong(IOV_OFFSET + Iovec.SIZE + Iovec.OFFSET_BASE, address);
                readScratch.setLong(IOV_OFFSET + Iovec.SIZE + Iovec.OFFSET_LEN, space);
                n = LibC.readv(fd, readIov, 2);
            } else {
                n = LibC.read(fd, address, space);
            }
            Reference.reachabilityFence(data);
            if (n >= 0) {
                break;
            }
            int errno = Native.getLastError();
            if (errno == eagain) {
                return AGAIN;
            }
            if (errno != Errno.EINTR) {
                throw Errno.exception(os, "read(\"" + name + "\")", errno);
            }
        }
        if (n == 0) {
            throw new IOException("read(\"" + name + "\"): end of file");
        }
        int length = (int) n;
        if (header != null) {
            int family = AfHeader.fromNativeOrder(readScratch.getInt(HEADER_OFFSET));
            if (length < AfHeader.LENGTH || header.ipVersionForFamily(family) == AfHeader.UNKNOWN) {
                droppedReads++;
                return DROPPED;
            }
            length -= AfHeader.LENGTH;
        }
        if (length == space) {
            // The kernel drops what does not fit; a packet exactly filling the space may be cut.
            truncatedReads++;
        }
        packet.length(length);
        packet.offload().clear();
        return STORED;
    }

    /** See {@link io.mlvpn.api.device.PacketDevice#write}. Writer thread only. */
    public void write(PacketBatch batch) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            for (int i = 0, n = batch.size(); i < n; i++) {
                writeOne(batch.get(i));
            }
        } finally {
            guard.exit();
        }
    }

    private void writeOne(PacketBuffer packet) throws IOException {
        ByteBuffer data = packet.data();
        int offset = packet.offset();
        int length = packet.length();
        if (length == 0) {
            droppedWrites++;
            return;
        }
        long address = writeAddresses.addressOf(data) + offset;
        if (header != null) {
            int family = header.familyForPacket(data.get(offset));
            if (family == AfHeader.UNKNOWN) {
                droppedWrites++;
                return;
            }
            writeScratch.setInt(HEADER_OFFSET, AfHeader.toNativeOrder(family));
            writeScratch.setLong(IOV_OFFSET + Iovec.SIZE + Iovec.OFFSET_BASE, address);
            writeScratch.setLong(IOV_OFFSET + Iovec.SIZE + Iovec.OFFSET_LEN, length);
        }
        while (true) {
            long n = header != null ? LibC.writev(fd, writeIov, 2) : LibC.write(fd, address, length);
            Reference.reachabilityFence(data);
            if (n >= 0) {
                return;
            }
            int errno = Native.getLastError();
            if (errno == eagain) {
                if (!awaitReady(writeScratch, writePoll)) {
                    throw new ClosedChannelException();
                }
            } else if (errno == enobufs) {
                // The interface queue is full: a drop, as on any congested link.
                droppedWrites++;
                return;
            } else if (errno != Errno.EINTR) {
                throw Errno.exception(os, "write(\"" + name + "\")", errno);
            }
        }
    }

    /** Polls the device and the wake-up pipe; false when the device was closed meanwhile. */
    private boolean awaitReady(Memory scratch, long pollAddress) throws IOException {
        while (true) {
            if (guard.isClosed()) {
                return false;
            }
            int r = LibC.poll(pollAddress, 2, -1);
            if (r < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw Errno.exception(os, "poll(\"" + name + "\")", errno);
            }
            short wake = scratch.getShort(POLL_OFFSET + PollFd.SIZE + PollFd.OFFSET_REVENTS);
            return wake == 0 && !guard.isClosed();
        }
    }

    /** Idempotent; wakes blocked calls. The descriptors close when the last call leaves. */
    public void close() throws IOException {
        if (!guard.enter()) {
            return;
        }
        boolean closedHere;
        try {
            closedHere = guard.markClosed();
            if (closedHere) {
                LibC.write(wakeWriteFd, Pointer.nativeValue(wakeByte), 1);
            }
        } finally {
            guard.exit();
        }
        int errno = guard.releaseErrno();
        if (closedHere && errno > 0) {
            throw Errno.exception(os, "close(\"" + name + "\")", errno);
        }
    }

    private int releaseDescriptors() {
        int first = Syscalls.closeQuietly(fd);
        int e = Syscalls.closeQuietly(wakeReadFd);
        first = first != 0 ? first : e;
        e = Syscalls.closeQuietly(wakeWriteFd);
        first = first != 0 ? first : e;
        e = afterRelease.getAsInt();
        return first != 0 ? first : e;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /** True once the descriptors were closed (after close, when the last call left). */
    public boolean isReleased() {
        return guard.isReleased();
    }

    /** Reads that filled the buffer's whole space and so may have been truncated. */
    public long truncatedReads() {
        return truncatedReads;
    }

    /** Packets read with a missing or unknown address-family header, dropped. */
    public long droppedReads() {
        return droppedReads;
    }

    /** Packets not written: empty, not IPv4/IPv6 on a tun device, or refused with ENOBUFS. */
    public long droppedWrites() {
        return droppedWrites;
    }
}
