package io.mlvpn.tun.linux;

import static io.mlvpn.tun.linux.TcpPackets.ACK;
import static io.mlvpn.tun.linux.TcpPackets.CWR;
import static io.mlvpn.tun.linux.TcpPackets.FIN;
import static io.mlvpn.tun.linux.TcpPackets.PSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The splitter of a tap device: Ethernet super-frames cut into frames that each repeat the
 * Ethernet header and carry complete checksums (the engine carries partial ones for tun only).
 */
class SuperPacketSplitterTapTest {
    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
    private static final int ETH = SuperPacketSplitter.ETHERNET_HEADER;
    private final SuperPacketSplitter splitter = new SuperPacketSplitter(ETH);

    /**
     * Puts a super-frame as the kernel hands it from a tap: virtio header with csum_start and
     * hdr_len counted from the frame start, the TCP checksum field not to be trusted.
     */
    private int loadSuperFrame(byte[] frame, int link, int gsoType, int gsoSize) {
        byte[] ip = TcpPackets.ip(frame, link);
        int transport = link + ((ip[0] & 0xf0) == 0x60 ? 40 : (ip[0] & 0x0f) * 4);
        int tcpHeader = ((frame[transport + 12] & 0xf0) >>> 4) * 4;
        ByteBuffer.wrap(frame).putShort(transport + 16, (short) 0x1234);
        ByteBuffer s = splitter.scratch();
        VirtioNetHeader.write(s, 0, VirtioNetHeader.FLAG_NEEDS_CSUM, gsoType, transport + tcpHeader, gsoSize, transport, 16);
        s.put(VirtioNetHeader.LENGTH, frame);
        return VirtioNetHeader.LENGTH + frame.length;
    }

    /** Puts a frame without GSO, with the given virtio flags and checksum position. */
    private int loadPlain(byte[] frame, int flags, int csumStart, int csumOffset) {
        ByteBuffer s = splitter.scratch();
        VirtioNetHeader.write(s, 0, flags, OffloadInfo.GSO_NONE, 0, 0, csumStart, csumOffset);
        s.put(VirtioNetHeader.LENGTH, frame);
        return VirtioNetHeader.LENGTH + frame.length;
    }

    private static void assertCompleteFrame(PacketBuffer p, byte[] linkHeader, String what) {
        byte[] frame = TcpPackets.contents(p);
        assertEquals(0, p.offload().flags(), what + ": offload info cleared");
        assertEquals(OffloadInfo.GSO_NONE, p.offload().gsoType(), what);
        assertEquals(0, p.offload().csumStart(), what);
        assertArrayEquals(linkHeader, Arrays.copyOf(frame, linkHeader.length), what + ": link header repeated");
        assertTrue(TcpPackets.checksumsValid(TcpPackets.ip(frame, linkHeader.length)), what + ": checksums complete");
    }

    @Test
    void ipv4SuperFrameIsCutIntoFramesWithCompleteChecksums() {
        byte[] payload = TcpPackets.payload(3000, 5);
        byte[] frame = TcpPackets.ethernetIp(TcpPackets.tcp(false, 0x7ffffc00, ACK | PSH | FIN | CWR, new byte[0], payload));
        byte[] ethernet = Arrays.copyOf(frame, ETH);
        assertTrue(splitter.load(loadSuperFrame(frame, ETH, OffloadInfo.GSO_TCPV4, 1000)));
        PacketBatch batch = TcpPackets.emptyBatch(4, 2048, 100);
        assertEquals(3, splitter.drain(batch, 0));
        assertFalse(splitter.hasPending());
        assertEquals(1, splitter.superPackets());
        for (int i = 0; i < 3; i++) {
            PacketBuffer p = batch.get(i);
            byte[] seg = TcpPackets.contents(p);
            ByteBuffer b = ByteBuffer.wrap(seg);
            assertEquals(100, p.offset());
            assertEquals(ETH + 40 + 1000, seg.length);
            assertCompleteFrame(p, ethernet, "frame " + i);
            assertEquals(seg.length - ETH, b.getShort(ETH + 2) & 0xffff, "IPv4 total length");
            assertEquals(0x1000 + i, b.getShort(ETH + 4) & 0xffff, "IP id incremented");
            assertEquals(0x7ffffc00 + i * 1000, b.getInt(ETH + 24));
            int flags = seg[ETH + 33] & 0xff;
            assertEquals(i == 0, (flags & CWR) != 0, "CWR on the first only");
            assertEquals(i == 2, (flags & (PSH | FIN)) == (PSH | FIN), "PSH and FIN on the last only");
            assertEquals(i != 2, (flags & (PSH | FIN)) == 0);
            assertArrayEquals(Arrays.copyOfRange(payload, i * 1000, i * 1000 + 1000),
                    Arrays.copyOfRange(seg, ETH + 40, seg.length));
        }
        assertEquals(0, splitter.malformedDropped());
    }

    @Test
    void ipv6SuperFrameWithOptionsAndAShortLastFrame() {
        byte[] payload = TcpPackets.payload(2500, 9);
        byte[] frame = TcpPackets.ethernetIp(TcpPackets.tcp(true, -100, ACK, TIMESTAMPS, payload));
        byte[] ethernet = Arrays.copyOf(frame, ETH);
        assertTrue(splitter.load(loadSuperFrame(frame, ETH, OffloadInfo.GSO_TCPV6, 1000)));
        PacketBatch batch = TcpPackets.emptyBatch(3, 2048, 0);
        assertEquals(3, splitter.drain(batch, 0));
        int[] expectedPayload = {1000, 1000, 500};
        for (int i = 0; i < 3; i++) {
            byte[] seg = TcpPackets.contents(batch.get(i));
            ByteBuffer b = ByteBuffer.wrap(seg);
            assertCompleteFrame(batch.get(i), ethernet, "frame " + i);
            assertEquals(ETH + 40 + 32 + expectedPayload[i], seg.length);
            assertEquals(seg.length - ETH - 40, b.getShort(ETH + 4) & 0xffff, "IPv6 payload length");
            assertEquals(-100 + i * 1000, b.getInt(ETH + 44));
            assertArrayEquals(TIMESTAMPS, Arrays.copyOfRange(seg, ETH + 60, ETH + 72));
            assertArrayEquals(Arrays.copyOfRange(payload, i * 1000, i * 1000 + expectedPayload[i]),
                    Arrays.copyOfRange(seg, ETH + 72, seg.length));
        }
    }

    @Test
    void vlanTaggedSuperFrameKeepsItsTagOnEveryFrame() {
        byte[] payload = TcpPackets.payload(2000, 3);
        byte[] frame = TcpPackets.vlanEthernet(42, TcpPackets.ETHERTYPE_IPV4,
                TcpPackets.tcp(false, 77, ACK | PSH, new byte[0], payload));
        byte[] tagged = Arrays.copyOf(frame, 18);
        assertTrue(splitter.load(loadSuperFrame(frame, 18, OffloadInfo.GSO_TCPV4, 1000)));
        PacketBatch batch = TcpPackets.emptyBatch(2, 2048, 0);
        assertEquals(2, splitter.drain(batch, 0));
        for (int i = 0; i < 2; i++) {
            byte[] seg = TcpPackets.contents(batch.get(i));
            assertEquals(18 + 40 + 1000, seg.length);
            assertCompleteFrame(batch.get(i), tagged, "frame " + i);
            assertEquals(77 + i * 1000, ByteBuffer.wrap(seg).getInt(18 + 24));
        }
    }

    @Test
    void arpAndVlanFramesPassThroughUnchanged() {
        byte[] arp = TcpPackets.ethernet(TcpPackets.ETHERTYPE_ARP, TcpPackets.payload(28, 1));
        byte[] vlan = TcpPackets.vlanEthernet(7, TcpPackets.ETHERTYPE_IPV4,
                TcpPackets.tcp(false, 1, ACK, new byte[0], TcpPackets.payload(100, 2)));
        for (byte[] frame : new byte[][] {arp, vlan}) {
            assertTrue(splitter.load(loadPlain(frame, 0, 0, 0)));
            PacketBatch batch = TcpPackets.emptyBatch(1, 2048, 3);
            assertEquals(1, splitter.drain(batch, 0));
            assertArrayEquals(frame, TcpPackets.contents(batch.get(0)));
            assertEquals(0, batch.get(0).offload().flags());
        }
        assertEquals(0, splitter.superPackets());
        assertEquals(0, splitter.malformedDropped());
    }

    /** The frame with its TCP checksum field holding the pseudo-header sum, as CHECKSUM_PARTIAL leaves it. */
    private static byte[] partialFrame(byte[] frame, int link) {
        byte[] ip = TcpPackets.ip(frame, link);
        boolean ipv6 = (ip[0] & 0xf0) == 0x60;
        int ipHeader = ipv6 ? 40 : 20;
        int sum = ~TcpPackets.checksum(new byte[0], 0, 0, TcpPackets.pseudo(ip, ipv6, ip.length - ipHeader)) & 0xffff;
        ByteBuffer.wrap(frame).putShort(link + ipHeader + 16, (short) sum);
        assertFalse(TcpPackets.checksumsValid(TcpPackets.ip(frame, link)));
        return frame;
    }

    @Test
    void aPartialChecksumWithoutGsoIsCompletedInPlaceFromTheFrameStart() {
        byte[] v4 = partialFrame(TcpPackets.ethernetIp(TcpPackets.tcp(false, 5, ACK | PSH, new byte[0],
                TcpPackets.payload(333, 2))), ETH);
        byte[] v6 = partialFrame(TcpPackets.ethernetIp(TcpPackets.tcp(true, 5, ACK | PSH, new byte[0],
                TcpPackets.payload(333, 2))), ETH);
        byte[] vlan = partialFrame(TcpPackets.vlanEthernet(9, TcpPackets.ETHERTYPE_IPV4,
                TcpPackets.tcp(false, 5, ACK, new byte[0], TcpPackets.payload(100, 4))), 18);
        int[] csumStarts = {ETH + 20, ETH + 40, 18 + 20};
        int[] links = {ETH, ETH, 18};
        byte[][] frames = {v4, v6, vlan};
        for (int i = 0; i < frames.length; i++) {
            assertTrue(splitter.load(loadPlain(frames[i], VirtioNetHeader.FLAG_NEEDS_CSUM, csumStarts[i], 16)));
            PacketBatch batch = TcpPackets.emptyBatch(1, 2048, 0);
            assertEquals(1, splitter.drain(batch, 0));
            byte[] out = TcpPackets.contents(batch.get(0));
            assertEquals(0, batch.get(0).offload().flags(), "frame " + i + ": never left partial on a tap");
            assertArrayEquals(Arrays.copyOf(frames[i], links[i]), Arrays.copyOf(out, links[i]));
            assertTrue(TcpPackets.checksumsValid(TcpPackets.ip(out, links[i])), "frame " + i + " completed");
        }
        assertEquals(0, splitter.malformedDropped());
    }

    @Test
    void malformedSuperFramesAreDroppedAndCounted() {
        byte[] v4 = TcpPackets.tcp(false, 1, ACK, new byte[0], TcpPackets.payload(300, 1));
        byte[] v6 = TcpPackets.tcp(true, 1, ACK, new byte[0], TcpPackets.payload(300, 1));
        int n = 0;
        byte[] arp = TcpPackets.ethernet(TcpPackets.ETHERTYPE_ARP, v4.clone());
        assertFalse(splitter.load(loadSuperFrame(arp, ETH, OffloadInfo.GSO_TCPV4, 100)), "ARP ethertype");
        assertEquals(++n, splitter.malformedDropped());
        byte[] v4AsV6 = TcpPackets.ethernet(TcpPackets.ETHERTYPE_IPV6, v4.clone());
        assertFalse(splitter.load(loadSuperFrame(v4AsV6, ETH, OffloadInfo.GSO_TCPV6, 100)), "IPv4 under the IPv6 ethertype");
        assertEquals(++n, splitter.malformedDropped());
        byte[] v6Frame = TcpPackets.ethernetIp(v6.clone());
        assertFalse(splitter.load(loadSuperFrame(v6Frame, ETH, OffloadInfo.GSO_TCPV4, 100)), "IPv6 under TCPV4");
        assertEquals(++n, splitter.malformedDropped());
        byte[] vlanArp = TcpPackets.vlanEthernet(3, TcpPackets.ETHERTYPE_ARP, v4.clone());
        assertFalse(splitter.load(loadSuperFrame(vlanArp, 18, OffloadInfo.GSO_TCPV4, 100)), "VLAN tag around no IP");
        assertEquals(++n, splitter.malformedDropped());
        byte[] frame = TcpPackets.ethernetIp(v4.clone());
        loadSuperFrame(frame, ETH, OffloadInfo.GSO_TCPV4, 100);
        VirtioNetHeader.write(splitter.scratch(), 0, VirtioNetHeader.FLAG_NEEDS_CSUM, OffloadInfo.GSO_TCPV4, 40, 100, 20, 16);
        assertFalse(splitter.load(VirtioNetHeader.LENGTH + frame.length), "csum_start not counting the Ethernet header");
        assertEquals(++n, splitter.malformedDropped());
        loadSuperFrame(frame, ETH, OffloadInfo.GSO_TCPV4, 100);
        assertFalse(splitter.load(VirtioNetHeader.LENGTH + ETH + 30), "cut inside the TCP header");
        assertEquals(++n, splitter.malformedDropped());
        loadSuperFrame(frame, ETH, OffloadInfo.GSO_TCPV4, 100);
        assertFalse(splitter.load(VirtioNetHeader.LENGTH + 12), "shorter than an Ethernet header");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.load(loadPlain(frame, VirtioNetHeader.FLAG_NEEDS_CSUM, ETH + 20, frame.length)),
                "checksum field past the end");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.hasPending());
        assertEquals(0, splitter.superPackets());
        assertEquals(0, splitter.drain(TcpPackets.emptyBatch(1, 2048, 0), 0));
    }

    @Test
    void onlyTunAndEthernetLinkHeadersAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> new SuperPacketSplitter(18));
        assertThrows(IllegalArgumentException.class, () -> new TcpCoalescer(-1));
        assertEquals(ETH, splitter.linkHeader());
    }
}
