package io.mlvpn.tun.linux;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.tun.linux.internal.DirectAddress;
import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.Fcntl;
import io.mlvpn.tun.linux.internal.FdGuard;
import io.mlvpn.tun.linux.internal.FdPoller;
import io.mlvpn.tun.linux.internal.IfTun;
import io.mlvpn.tun.linux.internal.Ifreq;
import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.Poll;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;

/**
 * A Linux tun or tap interface opened through {@code /dev/net/tun} ({@code TUNSETIFF},
 * {@code IFF_NO_PI}): each read or write moves one packet (tun) or Ethernet frame (tap) straight
 * between the kernel and a pooled direct buffer.
 *
 * <p><b>Threading.</b> As {@link PacketDevice} says: one reader thread, one writer thread,
 * {@link #close()} from any thread. The fd is non-blocking; a read with nothing queued waits in
 * {@code poll} together with an eventfd that {@code close()} signals, so a blocked reader returns
 * -1 promptly. The fd is closed exactly once, after the last call using it has left.
 *
 * <p><b>Offloads.</b> When {@link DeviceConfig#offloads()} asks for them, a tun or tap device is
 * opened with {@code IFF_VNET_HDR} and TSO for IPv4 and IPv6 (see {@link TunOffloads}; an old
 * kernel gets a plain device, and {@link #offloadsRefused()} says why). The kernel then hands over TCP super-packets (on a tap: Ethernet
 * super-frames) of up to 64 KiB, which a read splits into ordinary packets of at most the MTU
 * ({@link SuperPacketSplitter}; what does not fit the batch waits for the next read), and a write
 * joins consecutive segments of one TCP flow into super-packets ({@link TcpCoalescer}; on a tap
 * only IPv4 and IPv6 frames with identical Ethernet headers). Callers see and give packets of at
 * most the MTU (plus the Ethernet header on a tap) either way. On a tun with offloads on,
 * transport checksums may be partial, flagged in the offload info ({@link #partialChecksums()});
 * a tap hands out complete checksums, since the engine carries partial ones only for tun devices.
 *
 * <p><b>Drops.</b> A packet longer than a buffer's space is truncated to it and counted in
 * {@link #truncatedPackets()} (recognised from the IPv4/IPv6 length field, so a truncated tap
 * frame of another protocol goes uncounted); a packet the kernel refuses on write as malformed ({@code EINVAL}:
 * not IPv4/IPv6 on a tun, shorter than an Ethernet header on a tap) is skipped and counted in
 * {@link #invalidPacketsDropped()}.
 */
public final class LinuxTunDevice implements PacketDevice {
    private final String name;
    private final DeviceType type;
    private final int mtu;
    private final FdGuard guard;
    private final FdPoller readPoller;
    private final FdPoller writePoller;
    /** Offloads only: reads super-packets and splits them; null without. */
    private final SuperPacketSplitter splitter;
    /** Offloads only: joins written TCP segments into super-packets; null without. */
    private final TcpCoalescer coalescer;
    /** Why offloads asked for are off; null when on or not asked for. */
    private final String offloadsRefused;
    private volatile long truncatedPackets;
    private volatile long invalidPacketsDropped;

    private LinuxTunDevice(String name, DeviceType type, int mtu, int fd, int wakeFd, boolean offloads,
            String offloadsRefused) {
        this.name = name;
        this.offloadsRefused = offloadsRefused;
        int linkHeader = type == DeviceType.TAP ? SuperPacketSplitter.ETHERNET_HEADER : SuperPacketSplitter.NO_LINK_HEADER;
        this.splitter = offloads ? new SuperPacketSplitter(linkHeader) : null;
        this.coalescer = offloads ? new TcpCoalescer(linkHeader) : null;
        this.type = type;
        this.mtu = mtu;
        this.guard = new FdGuard(fd, wakeFd, "/dev/net/tun \"" + name + "\"");
        this.readPoller = new FdPoller(guard, Poll.POLLIN, "\"" + name + "\", POLLIN");
        this.writePoller = new FdPoller(guard, Poll.POLLOUT, "\"" + name + "\", POLLOUT");
    }

    /**
     * Creates the interface and, when {@link DeviceConfig#configure()} is true, sets its MTU and
     * address and brings it up; otherwise leaves it as created, for the status command.
     *
     * @throws IOException naming the failing call; nothing stays open then
     */
    public static LinuxTunDevice open(DeviceConfig config) throws IOException {
        InterfaceAddress address = null;
        InterfaceAddress peer = null;
        if (config.configure()) {
            // Parsed before anything is created, so that a typo leaves no interface behind.
            address = config.address().isPresent()
                    ? InterfaceAddress.parse(config.address().get(), "interface address") : null;
            peer = config.peer().isPresent() ? InterfaceAddress.parse(config.peer().get(), "interface peer") : null;
            if (peer != null && (peer.isIpv6() || address.isIpv6())) {
                throw new IOException("interface peer \"" + config.peer().get()
                        + "\": a point-to-point peer is supported for IPv4 only; set an IPv6 peer route in the status command");
            }
        }
        int fd = openClone();
        int wakeFd = -1;
        boolean opened = false;
        try {
            short kind = config.type() == DeviceType.TAP ? IfTun.IFF_TAP : IfTun.IFF_TUN;
            short plainFlags = (short) (kind | IfTun.IFF_NO_PI);
            Ifreq ifr = new Ifreq(config.name());
            boolean offloads = false;
            String refused = null;
            if (config.offloads()) {
                refused = TunOffloads.enable(new FdControl(fd, ifr), config.name(), plainFlags).orElse(null);
                offloads = refused == null;
                if (!offloads) {
                    // An fd attached with IFF_VNET_HDR keeps it: start over on a fresh one.
                    LibC.close(fd);
                    fd = -1;
                    fd = openClone();
                    ifr = new Ifreq(config.name());
                }
            }
            if (!offloads) {
                ifr.flags(plainFlags);
                if (LibC.ioctl(fd, IfTun.TUNSETIFF, ifr) != 0) {
                    throw Errno.lastException("ioctl(TUNSETIFF, \"" + config.name() + "\", "
                            + (kind == IfTun.IFF_TAP ? "IFF_TAP" : "IFF_TUN") + "|IFF_NO_PI)");
                }
            }
            String actualName = ifr.name();
            if (config.configure()) {
                InterfaceConfigurator.configure(actualName, config.mtu(), address, peer);
            }
            wakeFd = LibC.eventfd(0, Fcntl.EFD_NONBLOCK | Fcntl.EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw Errno.lastException("eventfd(\"" + actualName + "\")");
            }
            LinuxTunDevice device = new LinuxTunDevice(actualName, config.type(), config.mtu(), fd, wakeFd, offloads,
                    refused);
            opened = true;
            return device;
        } finally {
            if (!opened) {
                if (fd >= 0) {
                    LibC.close(fd);
                }
                if (wakeFd >= 0) {
                    LibC.close(wakeFd);
                }
            }
        }
    }

    private static int openClone() throws IOException {
        int fd = LibC.open(IfTun.CLONE_DEVICE, Fcntl.O_RDWR | Fcntl.O_NONBLOCK | Fcntl.O_CLOEXEC);
        if (fd < 0) {
            throw Errno.lastException("open(" + IfTun.CLONE_DEVICE + ")");
        }
        return fd;
    }

    /** The offload ioctls on a real fd. */
    private static final class FdControl implements TunOffloads.Control {
        private final int fd;
        private final Ifreq ifr;

        FdControl(int fd, Ifreq ifr) {
            this.fd = fd;
            this.ifr = ifr;
        }

        @Override
        public int attach(short flags) {
            ifr.flags(flags);
            return LibC.ioctl(fd, IfTun.TUNSETIFF, ifr) == 0 ? 0 : Errno.last();
        }

        @Override
        public int setVnetHeaderSize(int bytes) {
            return LibC.ioctl(fd, IfTun.TUNSETVNETHDRSZ, new int[] {bytes}) == 0 ? 0 : Errno.last();
        }

        @Override
        public int setOffload(int flags) {
            return LibC.ioctl(fd, IfTun.TUNSETOFFLOAD, (long) flags) == 0 ? 0 : Errno.last();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceType type() {
        return type;
    }

    /**
     * The configured MTU. When the device is not configured by this module, the status command is
     * expected to set it; a tap frame carries a 14-byte Ethernet header on top.
     */
    @Override
    public int mtu() {
        return mtu;
    }

    /** Packets truncated on read because they exceeded a buffer's space, since open. */
    public long truncatedPackets() {
        return truncatedPackets + (splitter == null ? 0 : splitter.truncated());
    }

    /**
     * Whether the device runs with offloads ({@code IFF_VNET_HDR}, TSO): asked for in the
     * configuration and accepted by the kernel, on a tun or a tap device.
     */
    public boolean offloadsEnabled() {
        return splitter != null;
    }

    /** Set when the configuration asked for offloads and the kernel refused them with {@code EINVAL}. */
    @Override
    public Optional<String> offloadsRefused() {
        return Optional.ofNullable(offloadsRefused);
    }

    /**
     * True exactly for a tun device with {@link #offloadsEnabled()}: the kernel completes what a
     * write leaves partial. False for a tap, whose reads hand out complete checksums because the
     * engine carries partial ones only for tun devices.
     */
    @Override
    public boolean partialChecksums() {
        return splitter != null && type == DeviceType.TUN;
    }

    /** Reads dropped whole because their super-packet could not be split safely, since open. */
    public long malformedSuperPacketsDropped() {
        return splitter == null ? 0 : splitter.malformedDropped();
    }

    /** Reads that were TCP super-packets (super-frames on a tap), since open (for tests). */
    long superPacketsRead() {
        return splitter == null ? 0 : splitter.superPackets();
    }

    /** Written packets that were joined into super-packets, since open. */
    public long coalescedPackets() {
        return coalescer == null ? 0 : coalescer.coalescedPackets();
    }

    /** Packets skipped on write because the kernel refused them as malformed, since open. */
    public long invalidPacketsDropped() {
        return invalidPacketsDropped;
    }

    /** Reader thread only. See {@link PacketDevice#read}. */
    @Override
    public int read(PacketBatch batch) throws IOException {
        int wanted = batch.size();
        if (wanted < 1) {
            throw new IllegalArgumentException("read needs a batch with at least one buffer");
        }
        if (!guard.enter()) {
            return -1;
        }
        try {
            if (splitter != null) {
                return readOffloaded(batch, wanted);
            }
            int count = 0;
            while (count < wanted) {
                PacketBuffer packet = batch.get(count);
                ByteBuffer data = packet.data();
                int offset = packet.offset();
                int space = data.capacity() - offset;
                long n = LibC.read(guard.fd(), DirectAddress.of(data, offset), space);
                Reference.reachabilityFence(data);
                if (n >= 0) {
                    // Older kernels return the full length of a packet they cut short, newer ones the
                    // bytes copied: then only the packet's own length field tells.
                    if (n > space || (n == space && declaredLength(data, offset, space) > space)) {
                        truncatedPackets++;
                        n = space;
                    }
                    packet.length((int) n);
                    count++;
                    continue;
                }
                int result = afterFailedRead(count);
                if (result != RETRY) {
                    return result;
                }
            }
            return count;
        } finally {
            guard.exit();
        }
    }

    /** {@link #afterFailedRead}: read again. */
    private static final int RETRY = -2;

    /**
     * What a read loop does after read(2) failed, having filled {@code count} packets: {@link #RETRY}
     * (interrupted, or nothing queued and poll says there is now), else the value {@code read}
     * returns (what it has, or -1 once closed).
     *
     * @throws IOException naming the call and errno, when nothing was read yet
     */
    private int afterFailedRead(int count) throws IOException {
        int errno = Errno.last();
        if (errno == Errno.EINTR) {
            return RETRY;
        }
        if (errno == Errno.EAGAIN) {
            if (count > 0) {
                return count;
            }
            return readPoller.await() ? RETRY : -1;
        }
        if (count > 0) {
            return count; // a lasting failure shows again on the next call
        }
        throw Errno.exception("read(\"" + name + "\")", errno);
    }

    /**
     * Hands out what the last super-packet left, then reads more until the batch is full or
     * nothing is queued; each read is split into the batch.
     */
    private int readOffloaded(PacketBatch batch, int wanted) throws IOException {
        int count = splitter.drain(batch, 0);
        ByteBuffer scratch = splitter.scratch();
        while (count < wanted) {
            long n = LibC.read(guard.fd(), DirectAddress.of(scratch, 0), scratch.capacity());
            if (n >= 0) {
                if (splitter.load((int) n)) {
                    count += splitter.drain(batch, count);
                }
                continue;
            }
            int result = afterFailedRead(count);
            if (result != RETRY) {
                return result;
            }
        }
        return count;
    }

    /**
     * The length an IPv4 or IPv6 packet (tun), or an Ethernet frame carrying one (tap), declares in
     * its header; 0 when the bytes read do not say.
     */
    private int declaredLength(ByteBuffer data, int offset, int length) {
        int ip = offset;
        int linkHeader = 0;
        if (type == DeviceType.TAP) {
            if (length < 14 + 6) {
                return 0;
            }
            int etherType = data.getShort(offset + 12) & 0xffff;
            if (etherType != 0x0800 && etherType != 0x86dd) {
                return 0;
            }
            linkHeader = 14;
            ip = offset + 14;
        }
        if (length - linkHeader < 6) {
            return 0;
        }
        int version = (data.get(ip) & 0xf0) >>> 4;
        if (version == 4) {
            return linkHeader + (data.getShort(ip + 2) & 0xffff);
        }
        if (version == 6) {
            return linkHeader + 40 + (data.getShort(ip + 4) & 0xffff);
        }
        return 0;
    }

    /** Writer thread only. See {@link PacketDevice#write}. */
    @Override
    public void write(PacketBatch batch) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            if (coalescer != null) {
                writeOffloaded(batch);
                return;
            }
            for (int i = 0, size = batch.size(); i < size; i++) {
                writeOne(batch.get(i));
            }
        } finally {
            guard.exit();
        }
    }

    private void writeOffloaded(PacketBatch batch) throws IOException {
        ByteBuffer out = coalescer.out();
        for (int i = 0, size = batch.size(); i < size;) {
            int consumed = coalescer.next(batch, i);
            i += consumed;
            if (coalescer.outLength() == 0) {
                invalidPacketsDropped++;
                continue;
            }
            writeBytes(out, 0, coalescer.outLength(), consumed);
        }
    }

    private void writeOne(PacketBuffer packet) throws IOException {
        writeBytes(packet.data(), packet.offset(), packet.length(), 1);
    }

    /** Writes one packet (or super-packet standing for {@code packets}) of {@code length} bytes. */
    private void writeBytes(ByteBuffer data, int offset, int length, int packets) throws IOException {
        for (;;) {
            long n = LibC.write(guard.fd(), DirectAddress.of(data, offset), length);
            Reference.reachabilityFence(data);
            if (n == length) {
                return;
            }
            if (n >= 0) {
                throw new IOException("write(\"" + name + "\"): short write, " + n + " of " + length + " bytes");
            }
            int errno = Errno.last();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno == Errno.EINVAL) {
                invalidPacketsDropped += packets;
                return;
            }
            if (errno == Errno.EAGAIN) {
                if (!writePoller.await()) {
                    throw new ClosedChannelException();
                }
                continue;
            }
            throw Errno.exception("write(\"" + name + "\", " + length + " bytes)", errno);
        }
    }

    /** Idempotent, from any thread; wakes a blocked reader. */
    @Override
    public void close() throws IOException {
        guard.close();
    }

    @Override
    public String toString() {
        return "LinuxTunDevice[" + name + ", " + type.configName() + ", mtu=" + mtu
                + (splitter != null ? ", offloads" : "") + (guard.isClosed() ? ", closed]" : "]");
    }
}
