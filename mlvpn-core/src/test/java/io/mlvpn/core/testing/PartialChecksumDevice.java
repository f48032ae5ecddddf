package io.mlvpn.core.testing;

import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.device.MemoryDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A memory device that behaves as a Linux tun with offloads does towards partial checksums, or as
 * a device without them: with {@code partial} on, reads hand TCP and UDP packets over with their
 * checksum partial (the pseudo-header sum in the field, flagged in the offload info), and writes
 * take partial packets, completing them as the kernel would before they reach the memory device;
 * off, it only counts partial packets written to it (which must not happen).
 */
public final class PartialChecksumDevice implements PacketDevice {
    private final MemoryDevice inner;
    private final boolean partial;
    private volatile long partialRead;
    private volatile long partialWritten;
    private volatile long badPartialWritten;

    public PartialChecksumDevice(MemoryDevice inner, boolean partial) {
        this.inner = inner;
        this.partial = partial;
    }

    /** Packets read whose checksum was made partial. */
    public long partialRead() {
        return partialRead;
    }

    /** Partial packets written (and completed here). */
    public long partialWritten() {
        return partialWritten;
    }

    /** Partial packets written whose flags did not place the field, or to a device that said it takes none. */
    public long badPartialWritten() {
        return badPartialWritten;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public DeviceType type() {
        return inner.type();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public boolean partialChecksums() {
        return partial;
    }

    @Override
    public int read(PacketBatch batch) throws IOException {
        int n = inner.read(batch);
        for (int i = 0; partial && i < n; i++) {
            PacketBuffer b = batch.get(i);
            ByteBuffer d = b.data();
            int start = InternetChecksum.transportStart(d, b.offset(), b.length());
            if (start < 0) {
                continue;
            }
            int protocol = InternetChecksum.protocol(d, b.offset());
            int field = InternetChecksum.checksumOffset(protocol);
            boolean ipv6 = (d.get(b.offset()) & 0xf0) == 0x60;
            long pseudo = InternetChecksum.pseudoHeader(d, b.offset(), ipv6, protocol, b.length() - start);
            d.putShort(b.offset() + start + field, (short) InternetChecksum.fold(pseudo));
            b.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, start, field);
            partialRead++;
        }
        return n;
    }

    @Override
    public void write(PacketBatch batch) throws IOException {
        for (int i = 0; i < batch.size(); i++) {
            PacketBuffer b = batch.get(i);
            OffloadInfo o = b.offload();
            if ((o.flags() & OffloadInfo.FLAG_NEEDS_CSUM) == 0) {
                continue;
            }
            if (!partial || !InternetChecksum.isTransportPartial(b.data(), b.offset(), b.length(), o.csumStart(),
                    o.csumOffset())) {
                badPartialWritten++;
            } else {
                partialWritten++;
            }
            InternetChecksum.complete(b.data(), b.offset(), b.length(), o.csumStart(), o.csumOffset());
        }
        inner.write(batch);
    }

    @Override
    public void close() {
        inner.close();
    }
}
