package io.mlvpn.tun.linux;

import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;

/**
 * Prepares the packets (tun) or Ethernet frames (tap) of a write batch for a device opened with
 * {@code IFF_VNET_HDR}: consecutive TCP segments of one flow become one super-packet the kernel segments again (GSO,
 * as its own GRO would have built it), everything else goes out alone behind a zeroed header.
 *
 * <p>Segments join the first of a run only when the result is exactly what the kernel will cut
 * back into the same segments: same addresses and ports; IPv4 without options or fragmentation,
 * with the same TOS, TTL and DF bit (IPv6: same traffic class, flow label and hop limit, no
 * extension header); the same TCP header length, options, ACK number and window; contiguous
 * sequence numbers; flags ACK only, except ACK|PSH on the last; every payload as long as the
 * first, except a shorter last; a valid IPv4 header checksum, and a valid TCP checksum unless the
 * segment's offload info says it is partial (as the kernel's GRO checks, so that a corrupt segment
 * is never given a fresh checksum; a partial one came from a peer that left it for the kernel, under
 * the tunnel's authentication); at most {@value #MAX_SUPER_PACKET} bytes.
 * The super-packet carries {@code gso_type} TCPV4/TCPV6, {@code gso_size}, {@code hdr_len} and
 * {@code NEEDS_CSUM} with {@code csum_start}/{@code csum_offset}, its TCP checksum field holding
 * the pseudo-header sum, which the kernel (or the receiving device) completes per segment. A packet
 * that goes alone keeps its offload info: {@code NEEDS_CSUM} when its checksum is partial.
 *
 * <p><b>Tap.</b> Built with a link header of {@value SuperPacketSplitter#ETHERNET_HEADER} bytes,
 * the coalescer joins Ethernet II frames whose ethertype is IPv4 (0x0800) or IPv6 (0x86DD) and
 * whose Ethernet headers are identical, on top of the rules above, which then apply to the IP
 * packet behind the header; {@code hdr_len} and {@code csum_start} count from the frame start.
 * Every other frame (ARP, VLAN-tagged, ...) goes alone. The engine hands a tap only complete
 * checksums, which are verified before joining as for a tun.
 *
 * <p>Writer thread only; allocates nothing after construction.
 */
final class TcpCoalescer {
    /** Largest super-packet, the IPv4 total-length limit. */
    static final int MAX_SUPER_PACKET = 65_535;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;
    private static final int P = VirtioNetHeader.LENGTH;

    /** 0 (tun) or {@link SuperPacketSplitter#ETHERNET_HEADER} (tap). */
    private final int link;
    private final ByteBuffer out;
    private int outLength;
    private long coalescedPackets;

    /**
     * A coalescer for a tun ({@link SuperPacketSplitter#NO_LINK_HEADER}) or a tap
     * ({@link SuperPacketSplitter#ETHERNET_HEADER}) device.
     *
     * @throws IllegalArgumentException for any other link header length
     */
    TcpCoalescer(int linkHeader) {
        if (linkHeader != SuperPacketSplitter.NO_LINK_HEADER && linkHeader != SuperPacketSplitter.ETHERNET_HEADER) {
            throw new IllegalArgumentException("link header neither 0 (tun) nor 14 (tap): " + linkHeader);
        }
        this.link = linkHeader;
        this.out = ByteBuffer.allocateDirect(P + linkHeader + SuperPacketSplitter.MAX_PACKET);
    }

    /** The buffer {@link #next} fills: virtio header at 0, then the packet. */
    ByteBuffer out() {
        return out;
    }

    /** Bytes of {@link #out()} to write after the last {@link #next}. */
    int outLength() {
        return outLength;
    }

    /** Packets that went into super-packets, since creation. */
    long coalescedPackets() {
        return coalescedPackets;
    }

    /**
     * Fills {@link #out()} with the packet at {@code from}, joined by as many of the packets after
     * it as may join it.
     *
     * @return packets of the batch consumed, at least 1; {@link #outLength()} is 0 when the one
     *     packet consumed is longer than any IP packet (plus the link header) and must be dropped
     */
    int next(PacketBatch batch, int from) {
        PacketBuffer first = batch.get(from);
        if (first.length() > link + SuperPacketSplitter.MAX_PACKET) {
            outLength = 0;
            return 1;
        }
        int count = 1;
        int transport = tcpOffset(first);
        if (transport > 0) {
            ByteBuffer a = first.data();
            int ao = first.offset();
            int tcpHeader = ((a.get(ao + transport + 12) & 0xf0) >>> 4) * 4;
            int headers = transport + tcpHeader;
            int gsoSize = first.length() - headers;
            if (tcpHeader >= 20 && gsoSize > 0 && (a.get(ao + transport + 13) & 0xff) == TCP_ACK
                    && checksumsValid(first, transport)) {
                int total = first.length();
                int expectedSequence = a.getInt(ao + transport + 4) + gsoSize;
                int lastFlags = TCP_ACK;
                for (int j = from + 1, size = batch.size(); j < size; j++) {
                    PacketBuffer p = batch.get(j);
                    int payload = p.length() - headers;
                    if (payload <= 0 || payload > gsoSize || total + payload > link + MAX_SUPER_PACKET
                            || !sameFlow(first, p, transport, headers)) {
                        break;
                    }
                    ByteBuffer b = p.data();
                    int tcp = p.offset() + transport;
                    int flags = b.get(tcp + 13) & 0xff;
                    if (b.getInt(tcp + 4) != expectedSequence || (flags != TCP_ACK && flags != (TCP_ACK | TCP_PSH))
                            || !checksumsValid(p, transport)) {
                        break;
                    }
                    count++;
                    total += payload;
                    expectedSequence += payload;
                    lastFlags = flags;
                    if (payload < gsoSize || flags != TCP_ACK) {
                        break;
                    }
                }
                if (count > 1) {
                    build(batch, from, count, transport, headers, gsoSize, total, lastFlags);
                    coalescedPackets += count;
                    return count;
                }
            }
        }
        if ((first.offload().flags() & OffloadInfo.FLAG_NEEDS_CSUM) != 0) {
            VirtioNetHeader.write(out, 0, OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0,
                    first.offload().csumStart(), first.offload().csumOffset());
        } else {
            VirtioNetHeader.writeEmpty(out, 0);
        }
        out.put(P, first.data(), first.offset(), first.length());
        outLength = P + first.length();
        return 1;
    }

    /**
     * Offset of the TCP header from the packet (frame) start when the packet may start a
     * super-packet; 0 otherwise.
     */
    private int tcpOffset(PacketBuffer p) {
        ByteBuffer b = p.data();
        int o = p.offset() + link;
        int length = p.length() - link;
        if (length < 40) {
            return 0;
        }
        int etherType = link == 0 ? 0 : b.getShort(o - 2) & 0xffff;
        int first = b.get(o) & 0xff;
        if (first == 0x45 && (link == 0 || etherType == SuperPacketSplitter.ETHERTYPE_IPV4)) {
            boolean fragment = (b.getShort(o + 6) & 0x3fff) != 0; // MF or a fragment offset
            if (fragment || b.get(o + 9) != InternetChecksum.PROTOCOL_TCP || (b.getShort(o + 2) & 0xffff) != length) {
                return 0;
            }
            return link + 20;
        }
        if ((first & 0xf0) == 0x60 && length >= 60 && (link == 0 || etherType == SuperPacketSplitter.ETHERTYPE_IPV6)) {
            if (b.get(o + 6) != InternetChecksum.PROTOCOL_TCP || (b.getShort(o + 4) & 0xffff) + 40 != length) {
                return 0;
            }
            return link + 40;
        }
        return 0;
    }

    /**
     * Whether {@code p} carries the same link, IP and TCP header fields as {@code first}, lengths,
     * sequence and flags aside.
     */
    private boolean sameFlow(PacketBuffer first, PacketBuffer p, int transport, int headers) {
        if (tcpOffset(p) != transport) {
            return false;
        }
        ByteBuffer a = first.data();
        ByteBuffer b = p.data();
        if (link != 0 && !equal(a, first.offset(), b, p.offset(), link)) {
            return false;
        }
        int ao = first.offset() + link;
        int bo = p.offset() + link;
        if (transport - link == 20) {
            // TOS; DF; TTL; protocol; addresses. Length, id and header checksum differ by design.
            if (a.get(ao + 1) != b.get(bo + 1) || (a.get(ao + 6) & 0x40) != (b.get(bo + 6) & 0x40)
                    || a.get(ao + 8) != b.get(bo + 8) || !equal(a, ao + 12, b, bo + 12, 8)) {
                return false;
            }
        } else if (a.getInt(ao) != b.getInt(bo) || a.get(ao + 7) != b.get(bo + 7) || !equal(a, ao + 8, b, bo + 8, 32)) {
            return false;
        }
        int ta = first.offset() + transport;
        int tb = p.offset() + transport;
        return a.getInt(ta) == b.getInt(tb) // ports
                && a.getInt(ta + 8) == b.getInt(tb + 8) // ACK number
                && a.get(ta + 12) == b.get(tb + 12) // header length
                && a.getShort(ta + 14) == b.getShort(tb + 14) // window
                && equal(a, ta + 20, b, tb + 20, headers - transport - 20); // options
    }

    private static boolean equal(ByteBuffer a, int ai, ByteBuffer b, int bi, int length) {
        for (int i = 0; i < length; i++) {
            if (a.get(ai + i) != b.get(bi + i)) {
                return false;
            }
        }
        return true;
    }

    private boolean checksumsValid(PacketBuffer p, int transport) {
        ByteBuffer b = p.data();
        int o = p.offset();
        int ip = o + link;
        boolean ipv6 = transport - link == 40;
        if (!ipv6 && InternetChecksum.fold(InternetChecksum.add(b, ip, 20, 0)) != 0xffff) {
            return false;
        }
        if ((p.offload().flags() & OffloadInfo.FLAG_NEEDS_CSUM) != 0) {
            // Partial, where tcpOffset found the TCP header (the engine checked the position).
            return p.offload().csumStart() == transport
                    && p.offload().csumOffset() == InternetChecksum.TCP_CHECKSUM_OFFSET;
        }
        int tcpLength = p.length() - transport;
        long sum = InternetChecksum.pseudoHeader(b, ip, ipv6, InternetChecksum.PROTOCOL_TCP, tcpLength);
        return InternetChecksum.fold(InternetChecksum.add(b, o + transport, tcpLength, sum)) == 0xffff;
    }

    private void build(PacketBatch batch, int from, int count, int transport, int headers, int gsoSize, int total,
            int lastFlags) {
        PacketBuffer first = batch.get(from);
        out.put(P, first.data(), first.offset(), first.length());
        int at = P + first.length();
        for (int j = from + 1; j < from + count; j++) {
            PacketBuffer p = batch.get(j);
            int payload = p.length() - headers;
            out.put(at, p.data(), p.offset() + headers, payload);
            at += payload;
        }
        int ip = P + link;
        boolean ipv6 = transport - link == 40;
        if (ipv6) {
            out.putShort(ip + 4, (short) (total - link - 40));
        } else {
            out.putShort(ip + 2, (short) (total - link));
            out.putShort(ip + 10, (short) 0);
            out.putShort(ip + 10, (short) InternetChecksum.finish(InternetChecksum.add(out, ip, 20, 0)));
        }
        int tcp = P + transport;
        out.put(tcp + 13, (byte) lastFlags);
        // The kernel expects CHECKSUM_PARTIAL's convention: the pseudo-header sum, folded, not complemented.
        long pseudo = InternetChecksum.pseudoHeader(out, ip, ipv6, InternetChecksum.PROTOCOL_TCP, total - transport);
        out.putShort(tcp + 16, (short) InternetChecksum.fold(pseudo));
        VirtioNetHeader.write(out, 0, VirtioNetHeader.FLAG_NEEDS_CSUM,
                ipv6 ? OffloadInfo.GSO_TCPV6 : OffloadInfo.GSO_TCPV4, headers, gsoSize, transport, 16);
        outLength = P + total;
    }
}
