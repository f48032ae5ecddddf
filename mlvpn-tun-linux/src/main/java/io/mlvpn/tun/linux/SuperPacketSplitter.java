package io.mlvpn.tun.linux;

import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;

/**
 * Turns what one read of a tun device with {@code IFF_VNET_HDR} gave (virtio header plus a packet
 * of up to 64 KiB) into ordinary packets in a caller's batch: a TCP super-packet is cut into
 * segments of {@code gso_size} payload bytes, each with its own IP length (and IPv4 id and header
 * checksum), sequence number and flags (FIN and PSH on the last only, CWR on the first only).
 * Transport checksums stay partial, as the kernel hands them over: each segment's TCP checksum
 * field gets its own pseudo-header sum and its offload info {@code NEEDS_CSUM} with
 * {@code csum_start}/{@code csum_offset}, so nobody sums its payload unless the packet leaves a
 * host (see {@link io.mlvpn.api.device.PacketDevice#partialChecksums()}); an unsegmented packet
 * keeps its partial checksum when it sits where {@link InternetChecksum#isTransportPartial} looks
 * for it and has it completed here otherwise. Segments that do not fit the batch stay here for the
 * next {@link #drain} (the scratch buffer is not read into again until they are gone).
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
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;
    private static final int P = VirtioNetHeader.LENGTH;

    /** Header at 0, packet from {@link VirtioNetHeader#LENGTH}; one spare byte shows an over-long read. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(P + MAX_PACKET + 1);
    private final OffloadInfo header = new OffloadInfo();
    private int packetLength;
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
                partial = InternetChecksum.isTransportPartial(scratch, P, packetLength, header.csumStart(),
                        header.csumOffset());
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

    /** Completes a partial checksum that the engine could not carry partial. */
    private boolean completeChecksum() {
        return InternetChecksum.complete(scratch, P, packetLength, header.csumStart(), header.csumOffset());
    }

    private boolean parseTcp(boolean expectIpv6) {
        if (packetLength < 20) {
            return false;
        }
        int version = (scratch.get(P) & 0xf0) >>> 4;
        if (expectIpv6) {
            if (version != 6 || packetLength < 40 || scratch.get(P + 6) != InternetChecksum.PROTOCOL_TCP) {
                return false;
            }
            transportOffset = 40;
        } else {
            int ihl = (scratch.get(P) & 0x0f) * 4;
            if (version != 4 || ihl < 20 || scratch.get(P + 9) != InternetChecksum.PROTOCOL_TCP) {
                return false;
            }
            transportOffset = ihl;
            firstIpId = scratch.getShort(P + 4) & 0xffff;
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
     * offload info saying whether its checksum is partial.
     *
     * @return buffers filled; 0 when nothing is pending
     */
    int drain(PacketBatch batch, int from) {
        int filled = 0;
        for (int i = from, size = batch.size(); i < size && nextSegment < segments; i++) {
            PacketBuffer packet = batch.get(i);
            if (segmented) {
                writeSegment(packet, nextSegment);
                packet.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, transportOffset,
                        InternetChecksum.TCP_CHECKSUM_OFFSET);
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
        if (ipv6) {
            dst.putShort(o + 4, (short) (length - 40));
        } else {
            dst.putShort(o + 2, (short) length);
            dst.putShort(o + 4, (short) (firstIpId + index));
            dst.putShort(o + 10, (short) 0);
            dst.putShort(o + 10, (short) InternetChecksum.finish(InternetChecksum.add(dst, o, transportOffset, 0)));
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
        // Partial, as Linux leaves it: the pseudo-header sum, folded, not complemented.
        int tcpLength = length - transportOffset;
        long pseudo = InternetChecksum.pseudoHeader(dst, o, ipv6, InternetChecksum.PROTOCOL_TCP, tcpLength);
        dst.putShort(tcp + InternetChecksum.TCP_CHECKSUM_OFFSET, (short) InternetChecksum.fold(pseudo));
        packet.length(length);
    }
}
