package io.mlvpn.api.packet;

/**
 * Segmentation and checksum offload metadata of one packet, mirroring Linux's
 * {@code struct virtio_net_hdr}. A device without offloads leaves every field zero, which means
 * "an ordinary, complete packet". Part of a {@link PacketBuffer}; same threading rules.
 */
public final class OffloadInfo {
    /** {@code gso_type}: none. */
    public static final int GSO_NONE = 0;
    /** {@code gso_type}: TCP over IPv4 segmentation. */
    public static final int GSO_TCPV4 = 1;
    /** {@code gso_type}: UDP (USO) segmentation. */
    public static final int GSO_UDP_L4 = 5;
    /** {@code gso_type}: TCP over IPv6 segmentation. */
    public static final int GSO_TCPV6 = 4;
    /** {@code flags}: the checksum still has to be computed from csumStart/csumOffset. */
    public static final int FLAG_NEEDS_CSUM = 1;

    private int flags;
    private int gsoType;
    private int headerLength;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    /** {@code flags} of virtio_net_hdr. */
    public int flags() {
        return flags;
    }

    /** {@code gso_type}: one of the {@code GSO_} constants. */
    public int gsoType() {
        return gsoType;
    }

    /** {@code hdr_len}: bytes of headers repeated in front of every segment. */
    public int headerLength() {
        return headerLength;
    }

    /** {@code gso_size}: payload bytes per segment. */
    public int gsoSize() {
        return gsoSize;
    }

    /** {@code csum_start}. */
    public int csumStart() {
        return csumStart;
    }

    /** {@code csum_offset}. */
    public int csumOffset() {
        return csumOffset;
    }

    /** Sets every field at once. */
    public void set(int flags, int gsoType, int headerLength, int gsoSize, int csumStart, int csumOffset) {
        this.flags = flags;
        this.gsoType = gsoType;
        this.headerLength = headerLength;
        this.gsoSize = gsoSize;
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
    }

    /** True when the packet is a super-packet that must be segmented. */
    public boolean isSegmented() {
        return gsoType != GSO_NONE;
    }

    /** Sets every field to zero. */
    public void clear() {
        set(0, GSO_NONE, 0, 0, 0, 0);
    }
}
