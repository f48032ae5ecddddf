package io.mlvpn.tun.bsd;

import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.tun.bsd.internal.PacketIo;
import java.io.IOException;

/**
 * A FreeBSD/OpenBSD tun or tap device, or a macOS utun device, opened by {@link BsdTunProvider}.
 * Reads fill each buffer from its offset with a bare IP packet (tun; the 4-byte address-family
 * header is stripped) or Ethernet frame (tap); writes prepend the header derived from the packet's
 * IP version. Packets with an unknown family, non-IP packets written to a tun device and packets
 * the kernel refuses for lack of buffers are dropped and counted, never thrown.
 *
 * <p>Threading as {@link PacketDevice} says: one reader thread, one writer thread, {@link #close()}
 * from any thread (it wakes a blocked reader; the descriptors are closed when the last call
 * leaves). The counters may be read from any thread.
 */
public final class BsdTunDevice implements PacketDevice {
    private final PacketIo io;
    private final DeviceType type;
    private final int mtu;

    BsdTunDevice(PacketIo io, DeviceType type, int mtu) {
        this.io = io;
        this.type = type;
        this.mtu = mtu;
    }

    @Override
    public String name() {
        return io.name();
    }

    @Override
    public DeviceType type() {
        return type;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(PacketBatch batch) throws IOException {
        return io.read(batch);
    }

    @Override
    public void write(PacketBatch batch) throws IOException {
        io.write(batch);
    }

    /** Idempotent; wakes a blocked reader or writer. */
    @Override
    public void close() throws IOException {
        io.close();
    }

    /** Reads that filled a buffer's whole space and so may have been truncated. */
    public long truncatedReads() {
        return io.truncatedReads();
    }

    /** Packets read with a missing or unknown address-family header, dropped. */
    public long droppedReads() {
        return io.droppedReads();
    }

    /** Packets not written: empty, not IPv4/IPv6 on a tun device, or refused with ENOBUFS. */
    public long droppedWrites() {
        return io.droppedWrites();
    }

    @Override
    public String toString() {
        return "BsdTunDevice[" + io.name() + ", " + type.configName() + ", mtu=" + mtu + (io.isClosed() ? ", closed]" : "]");
    }
}
