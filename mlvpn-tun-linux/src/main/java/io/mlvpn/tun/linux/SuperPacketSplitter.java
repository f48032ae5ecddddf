package io.mlvpn.tun.linux;

import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;

/**
 * Turns what one read of a tun or tap device with {@code IFF_VNET_HDR} gave (virtio header plus a
 * packet, or an Ethernet frame, of up to 64 KiB) into ordinary packets in a caller's batch: a TCP
 * super-packet is cut into segments of {@code gso_size} payload bytes, each with its own IP length
 * (and IPv4 id and header checksum), sequence number and flags (FIN and PSH on the last only, CWR
 * on the first only).
 * Transport checksums stay partial, as the kernel hands them over: each segment's TCP checksum
 * field gets its own pseudo-header sum and its offload info {@code NEEDS_CSUM} with
 * {@code csum_start}/{@code csum_offset}, so nobody sums its payload unless the packet leaves a
 * host (see {@link io.mlvpn.api.device.PacketDevice#partialChecksums()}); an unsegmented packet
 * keeps its partial checksum when it sits where {@link InternetChecksum#isTransportPartial} looks
 * for it and has it completed here otherwise. Segments that do not fit the batch stay here for the
 * next {@link #drain} (the scratch buffer is not read into again until they are gone).
 *
 * <p><b>Tap.</b> Built with a link header of {@value #ETHERNET_HEADER} bytes, the splitter takes
 * Ethernet II frames: a super-frame must carry IPv4 (ethertype 0x0800) or IPv6 (0x86DD), or one
 * 802.1Q/802.1ad tag in front of either (the kernel hands those over for a VLAN interface stacked
 * on the tap, and dropping them would stall every TCP flow on it); every segment repeats its
 * Ethernet header (tag included), and {@code csum_start} counts from the frame start. Checksums
 * come out <em>complete</em> with the offload info cleared, since the engine carries partial
 * checksums across the tunnel only for tun devices: a segment's TCP checksum is summed in full,
 * and an unsegmented frame of any ethertype with {@code NEEDS_CSUM} has it completed in place at
 * {@code csum_start}/{@code csum_offset}.
 *
 * <p>A super-packet that cannot be segmented safely (too short, wrong version for its gso_type,
 * not TCP, header lengths out of range, zero gso_size, an unsupported gso_type, a checksum
 * position outside the packet) is dropped whole and counted in {@link #malformedDropped()}; a
 * segment longer than the caller's buffer space is cut to it and counted in {@link #truncated()}.
 *
 * <p>Reader thread only; the counters may be read from any thread.
 */
final class SuperPacketSplitter {
    /** Largest packet a read can carry: an IPv6 header plus the largest payload length. */
    static final int MAX_PACKET = 40 + 65_535;
    /** Link header of a tun device: none, the packet starts with its IP header. */
    static final int NO_LINK_HEADER = 0;
    /** Link header of a tap device: an Ethernet II header (two addresses and the ethertype). */
    static final int ETHERNET_HEADER = 14;
    /** An Ethernet header with one VLAN tag, the longest link header a tap super-frame may have. */
    static final int VLAN_ETHERNET_HEADER = ETHERNET_HEADER + 4;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;
    private static final int P = VirtioNetHeader.LENGTH;

    /** {@link #NO_LINK_HEADER} (tun) or {@link #ETHERNET_HEADER} (tap). */
    private final int linkHeader;
    /** Tap: segments and frames leave with complete checksums (see the class comment). */
    private final boolean completeChecksums;
    /** Header at 0, packet from {@link VirtioNetHeader#LENGTH}; one spare byte shows an over-long read. */
    private final ByteBuffer scratch;
    private final OffloadInfo header = new OffloadInfo();
    private int packetLength;
    /** The super-packet's link header length: 0 (tun), 14, or 18 with a VLAN tag (tap). */
    private int link;
    private boolean segmented;
    /** The unsegmented packet's checksum is partial and stays so. */
    private boolean partial;
    private boolean ipv6;
    private int transportOffset;
    private int headerBytes;
    private int gsoSize;
    private int payloadBytes;
    private int segments;
    private int nextSegment;
    private int firstIpId;
    private int firstSequence;
    private volatile long malformedDropped;
    private volatile long truncated;
    private volatile long superPackets;

    /**
     * A splitter for a tun ({@link #NO_LINK_HEADER}) or a tap ({@link #ETHERNET_HEADER}) device.
     *
     * @throws IllegalArgumentException for any other link header length
     */
    SuperPacketSplitter(int linkHeader) {
        if (linkHeader != NO_LINK_HEADER && linkHeader != ETHERNET_HEADER) {
            throw new IllegalArgumentException("link header neither 0 (tun) nor 14 (tap): " + linkHeader);
        }
        this.linkHeader = linkHeader;
        this.completeChecksums = linkHeader != NO_LINK_HEADER;
        int maxLink = linkHeader == NO_LINK_HEADER ? 0 : VLAN_ETHERNET_HEADER;
        this.scratch = ByteBuffer.allocateDirect(P + maxLink + MAX_PACKET + 1);
    }

    /** The link header length this splitter was built for: 0 (tun) or 14 (tap). */
    int linkHeader() {
        return linkHeader;
    }

    /** The buffer the device reads into, from index 0, up to its capacity. */
    ByteBuffer scratch() {
        return scratch;
    }

    /** Packets or segments not yet handed out. */
    boolean hasPending() {
        return nextSegment < segments;
    }

    /** Reads dropped because they could not be split or completed safely, since creation. */
    long malformedDropped() {
        return malformedDropped;
    }

    /** Reads that were TCP super-packets (split into segments), since creation. */
    long superPackets() {
        return superPackets;
    }

    /** Packets or segments cut to a caller's buffer space, since creation. */
    long truncated() {
        return truncated;
    }

    /**
     * Takes the {@code bytesRead} bytes just read into {@link #scratch()}. Must not be called while
     * {@link #hasPending()}.
     *
     * @return false when the read was dropped (counted)
     */
    boolean load(int bytesRead) {
        if (hasPending()) {
            throw new IllegalStateException("load with " + (segments - nextSegment) + " segments pending");
        }
        segments = 0;
        nextSegment = 0;
        if (bytesRead <= P || bytesRead >= scratch.capacity()) {
            return drop();
        }
        packetLength = bytesRead - P;
        VirtioNetHeader.read(scratch, 0, header);
        int gsoType = header.gsoType() & ~VirtioNetHeader.GSO_ECN;
        if (gsoType == OffloadInfo.GSO_NONE) {
            segmented = false;
            partial = false;
            if ((header.flags() & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0) {
                partial = !completeChecksums && InternetChecksum.isTransportPartial(scratch, P, packetLength,
                        header.csumStart(), header.csumOffset());
                if (!partial && !completeChecksum()) {
                    return drop();
                }
            }
            segments = 1;
            return true;
        }
        if (gsoType != OffloadInfo.GSO_TCPV4 && gsoType != OffloadInfo.GSO_TCPV6) {
            return drop();
        }
        if (!parseTcp(gsoType == OffloadInfo.GSO_TCPV6)) {
            return drop();
        }
        segmented = true;
        superPackets++;
        segments = payloadBytes == 0 ? 1 : (payloadBytes + gsoSize - 1) / gsoSize;
        return true;
    }

    private boolean drop() {
        malformedDropped++;
        return false;
    }

    /**
     * Completes a partial checksum that the engine could not carry partial (csum_start counts from
     * the frame start on a tap).
     */
    private boolean completeChecksum() {
        return InternetChecksum.complete(scratch, P, packetLength, header.csumStart(), header.csumOffset());
    }

    /**
     * The link header length of the super-frame in scratch for a tap: 14, or 18 with one VLAN tag,
     * when it carries the IP version {@code gso_type} names; -1 otherwise. 0 for a tun.
     */
    private int linkHeaderOf(boolean expectIpv6) {
        if (linkHeader == NO_LINK_HEADER) {
            return 0;
        }
        int wanted = expectIpv6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        if (packetLength < VLAN_ETHERNET_HEADER) {
            return -1;
        }
        int etherType = scratch.getShort(P + 12) & 0xffff;
        if (etherType == wanted) {
            return ETHERNET_HEADER;
        }
        if ((etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ)
                && (scratch.getShort(P + ETHERNET_HEADER + 2) & 0xffff) == wanted) {
            return VLAN_ETHERNET_HEADER;
        }
        return -1;
    }

    private boolean parseTcp(boolean expectIpv6) {
        link = linkHeaderOf(expectIpv6);
        if (link < 0 || packetLength < link + 20) {
            return false;
        }
        int ip = P + link;
        int version = (scratch.get(ip) & 0xf0) >>> 4;
        if (expectIpv6) {
            if (version != 6 || packetLength < link + 40 || scratch.get(ip + 6) != InternetChecksum.PROTOCOL_TCP) {
                return false;
            }
            transportOffset = link + 40;
        } else {
            int ihl = (scratch.get(ip) & 0x0f) * 4;
            if (version != 4 || ihl < 20 || scratch.get(ip + 9) != InternetChecksum.PROTOCOL_TCP) {
                return false;
            }
            transportOffset = link + ihl;
            firstIpId = scratch.getShort(ip + 4) & 0xffff;
        }
        if ((header.flags() & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0 && header.csumStart() != transportOffset) {
            return false;
        }
        if (transportOffset + 20 > packetLength) {
            return false;
        }
        int tcpHeader = ((scratch.get(P + transportOffset + 12) & 0xf0) >>> 4) * 4;
        headerBytes = transportOffset + tcpHeader;
        if (tcpHeader < 20 || headerBytes > packetLength || header.gsoSize() == 0) {
            return false;
        }
        ipv6 = expectIpv6;
        gsoSize = header.gsoSize();
        payloadBytes = packetLength - headerBytes;
        firstSequence = scratch.getInt(P + transportOffset + 4);
        return true;
    }

    /**
     * Fills buffers {@code from ..} of the batch with pending packets, each at its own offset, its
     * offload info saying whether its checksum is partial (never on a tap).
     *
     * @return buffers filled; 0 when nothing is pending
     */
    int drain(PacketBatch batch, int from) {
        int filled = 0;
        for (int i = from, size = batch.size(); i < size && nextSegment < segments; i++) {
            PacketBuffer packet = batch.get(i);
            if (segmented) {
                writeSegment(packet, nextSegment);
                if (completeChecksums) {
                    packet.offload().clear();
                } else {
                    packet.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, transportOffset,
                            InternetChecksum.TCP_CHECKSUM_OFFSET);
                }
            } else {
                copyWhole(packet);
                if (partial) {
                    packet.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, header.csumStart(),
                            header.csumOffset());
                } else {
                    packet.offload().clear();
                }
            }
            nextSegment++;
            filled++;
        }
        return filled;
    }

    private void copyWhole(PacketBuffer packet) {
        int space = packet.capacity() - packet.offset();
        int length = packetLength;
        if (length > space) {
            truncated++;
            length = space;
        }
        packet.data().put(packet.offset(), scratch, P, length);
        packet.length(length);
    }

    private void writeSegment(PacketBuffer packet, int index) {
        ByteBuffer dst = packet.data();
        int o = packet.offset();
        int space = packet.capacity() - o;
        int payloadStart = index * gsoSize;
        int chunk = Math.min(gsoSize, payloadBytes - payloadStart);
        int length = headerBytes + chunk;
        if (length > space) {
            truncated++;
            int headers = Math.min(headerBytes, space);
            dst.put(o, scratch, P, headers);
            dst.put(o + headers, scratch, P + headerBytes + payloadStart, space - headers);
            packet.length(space);
            return;
        }
        dst.put(o, scratch, P, headerBytes);
        dst.put(o + headerBytes, scratch, P + headerBytes + payloadStart, chunk);
        int ip = o + link;
        if (ipv6) {
            dst.putShort(ip + 4, (short) (length - link - 40));
        } else {
            dst.putShort(ip + 2, (short) (length - link));
            dst.putShort(ip + 4, (short) (firstIpId + index));
            dst.putShort(ip + 10, (short) 0);
            dst.putShort(ip + 10, (short) InternetChecksum.finish(InternetChecksum.add(dst, ip, transportOffset - link, 0)));
        }
        int tcp = o + transportOffset;
        dst.putInt(tcp + 4, firstSequence + payloadStart);
        int flags = dst.get(tcp + 13) & 0xff;
        if (index != segments - 1) {
            flags &= ~(TCP_FIN | TCP_PSH);
        }
        if (index != 0) {
            flags &= ~TCP_CWR;
        }
        dst.put(tcp + 13, (byte) flags);
        int tcpLength = length - transportOffset;
        long pseudo = InternetChecksum.pseudoHeader(dst, ip, ipv6, InternetChecksum.PROTOCOL_TCP, tcpLength);
        if (completeChecksums) {
            dst.putShort(tcp + InternetChecksum.TCP_CHECKSUM_OFFSET, (short) 0);
            long sum = InternetChecksum.add(dst, tcp, tcpLength, pseudo);
            dst.putShort(tcp + InternetChecksum.TCP_CHECKSUM_OFFSET, (short) InternetChecksum.finish(sum));
        } else {
            // Partial, as Linux leaves it: the pseudo-header sum, folded, not complemented.
            dst.putShort(tcp + InternetChecksum.TCP_CHECKSUM_OFFSET, (short) InternetChecksum.fold(pseudo));
        }
        packet.length(length);
    }
}
