package io.mlvpn.tun.linux;

import io.mlvpn.api.packet.OffloadInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 10-byte {@code struct virtio_net_hdr} a tun device opened with {@code IFF_VNET_HDR} puts in
 * front of every packet ({@code <linux/virtio_net.h>}). Its 16-bit fields are in the machine's
 * byte order (legacy virtio, no {@code TUNSETVNETLE}). Stateless.
 */
final class VirtioNetHeader {
    /** {@code sizeof(struct virtio_net_hdr)}. */
    static final int LENGTH = 10;
    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}. */
    static final int FLAG_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: set on top of a TCP gso_type when the segments carry CWR. */
    static final int GSO_ECN = 0x80;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private VirtioNetHeader() {
    }

    /** Decodes the header at {@code at} into {@code into}. */
    static void read(ByteBuffer b, int at, OffloadInfo into) {
        into.set(b.get(at) & 0xff, b.get(at + 1) & 0xff, u16(b, at + 2), u16(b, at + 4), u16(b, at + 6), u16(b, at + 8));
    }

    /** Encodes {@code info} at {@code at}. */
    static void write(ByteBuffer b, int at, OffloadInfo info) {
        write(b, at, info.flags(), info.gsoType(), info.headerLength(), info.gsoSize(), info.csumStart(), info.csumOffset());
    }

    /** Encodes the given fields at {@code at}. */
    static void write(ByteBuffer b, int at, int flags, int gsoType, int headerLength, int gsoSize, int csumStart,
            int csumOffset) {
        b.put(at, (byte) flags);
        b.put(at + 1, (byte) gsoType);
        putU16(b, at + 2, headerLength);
        putU16(b, at + 4, gsoSize);
        putU16(b, at + 6, csumStart);
        putU16(b, at + 8, csumOffset);
    }

    /** Writes an all-zero header: an ordinary packet with a complete checksum. */
    static void writeEmpty(ByteBuffer b, int at) {
        b.putLong(at, 0L);
        b.putShort(at + 8, (short) 0);
    }

    private static int u16(ByteBuffer b, int at) {
        int first = b.get(at) & 0xff;
        int second = b.get(at + 1) & 0xff;
        return LITTLE_ENDIAN ? first | second << 8 : first << 8 | second;
    }

    private static void putU16(ByteBuffer b, int at, int value) {
        byte low = (byte) value;
        byte high = (byte) (value >>> 8);
        b.put(at, LITTLE_ENDIAN ? low : high);
        b.put(at + 1, LITTLE_ENDIAN ? high : low);
    }
}
