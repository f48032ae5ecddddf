package io.mlvpn.core.inner;

import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBuffer;

/**
 * The engine's two decisions about inner packets whose transport checksum is partial (see
 * {@link io.mlvpn.api.device.PacketDevice#partialChecksums()} and docs/protocol.md, section 3):
 * whether one read from the device may cross the tunnel partial, and what one that arrived partial
 * becomes before the device writes it. Stateless and allocation-free.
 */
public final class PartialChecksums {
    private PartialChecksums() {
    }

    /**
     * For a packet read from the device: true when its checksum is partial where the peer will
     * look for it (a TCP or UDP packet) and {@code allowed} (a tun device, and a peer that said it
     * takes them), so that it may be sent as DATA_PARTIAL_CHECKSUM. Any other partial checksum is
     * completed here, and the packet goes as ordinary data; one whose field lies outside the packet
     * is left as the device gave it (its receiver drops it for its checksum, as it would have
     * without the tunnel).
     */
    public static boolean mayStayPartial(PacketBuffer b, boolean allowed) {
        OffloadInfo o = b.offload();
        if ((o.flags() & OffloadInfo.FLAG_NEEDS_CSUM) == 0) {
            return false;
        }
        if (allowed && InternetChecksum.isTransportPartial(b.data(), b.offset(), b.length(), o.csumStart(),
                o.csumOffset())) {
            return true;
        }
        InternetChecksum.complete(b.data(), b.offset(), b.length(), o.csumStart(), o.csumOffset());
        o.clear();
        return false;
    }

    /**
     * For a packet that arrived as DATA_PARTIAL_CHECKSUM: flags it partial (csum_start at its
     * transport header, csum_offset at the checksum field) for a device that takes partial
     * checksums, and completes it for any other.
     *
     * @return false, with the packet unchanged, when it is not an IPv4 or IPv6 packet carrying TCP
     *     or UDP whose checksum field the protocol can place: the peer sent a malformed packet
     */
    public static boolean received(PacketBuffer b, boolean deviceTakesPartial) {
        int start = InternetChecksum.transportStart(b.data(), b.offset(), b.length());
        if (start < 0) {
            return false;
        }
        int field = InternetChecksum.checksumOffset(InternetChecksum.protocol(b.data(), b.offset()));
        if (deviceTakesPartial) {
            b.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, start, field);
        } else {
            b.offload().clear();
            InternetChecksum.complete(b.data(), b.offset(), b.length(), start, field);
        }
        return true;
    }
}
