package io.mlvpn.tun.linux;

import static io.mlvpn.tun.linux.TcpPackets.ACK;
import static io.mlvpn.tun.linux.TcpPackets.PSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coalescer of a tap device: consecutive Ethernet frames of one TCP flow, with identical
 * Ethernet headers and complete checksums, join into one super-frame; every other frame goes alone.
 */
class TcpCoalescerTapTest {
    private static final byte[] NO_OPTIONS = new byte[0];
    private static final int ETH = SuperPacketSplitter.ETHERNET_HEADER;
    private final TcpCoalescer coalescer = new TcpCoalescer(ETH);

    private static byte[] frame(boolean ipv6, int index, int flags, int payloadBytes) {
        return TcpPackets.ethernetIp(TcpPackets.tcp(ipv6, 1000 + index * 1200, flags, NO_OPTIONS,
                TcpPackets.payload(payloadBytes, index)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void consecutiveFramesBecomeOneSuperFrameThatSplitsBackIntoThem(boolean ipv6) {
        List<byte[]> frames = List.of(frame(ipv6, 0, ACK, 1200), frame(ipv6, 1, ACK, 1200), frame(ipv6, 2, ACK | PSH, 700));
        assertEquals(3, coalescer.next(TcpPackets.batchOf(frames), 0));
        assertEquals(3, coalescer.coalescedPackets());
        ByteBuffer out = coalescer.out();
        OffloadInfo header = new OffloadInfo();
        VirtioNetHeader.read(out, 0, header);
        int ip = ipv6 ? 40 : 20;
        assertEquals(VirtioNetHeader.FLAG_NEEDS_CSUM, header.flags());
        assertEquals(ipv6 ? OffloadInfo.GSO_TCPV6 : OffloadInfo.GSO_TCPV4, header.gsoType());
        assertEquals(1200, header.gsoSize());
        assertEquals(ETH + ip + 20, header.headerLength(), "hdr_len counts the Ethernet header");
        assertEquals(ETH + ip, header.csumStart(), "csum_start counts from the frame start");
        assertEquals(16, header.csumOffset());
        int total = ETH + ip + 20 + 3100;
        assertEquals(VirtioNetHeader.LENGTH + total, coalescer.outLength());
        int p = VirtioNetHeader.LENGTH;
        assertArrayEquals(Arrays.copyOf(frames.get(0), ETH), TcpPackets.contents(out, p, ETH), "Ethernet header");
        if (ipv6) {
            assertEquals(total - ETH - 40, out.getShort(p + ETH + 4) & 0xffff);
        } else {
            assertEquals(total - ETH, out.getShort(p + ETH + 2) & 0xffff);
            assertEquals(0, TcpPackets.checksum(TcpPackets.contents(out, p + ETH, 20), 0, 20, 0), "IPv4 header checksum");
        }
        assertEquals(ACK | PSH, out.get(p + ETH + ip + 13), "PSH of the last frame");

        // What the kernel does with it, played by the tap splitter: the same frames, complete.
        SuperPacketSplitter splitter = new SuperPacketSplitter(ETH);
        splitter.scratch().put(0, out, 0, coalescer.outLength());
        assertTrue(splitter.load(coalescer.outLength()));
        PacketBatch back = new PacketBatch(3);
        for (int i = 0; i < 3; i++) {
            back.add(new PacketBuffer(2048).span(0, 0));
        }
        assertEquals(3, splitter.drain(back, 0));
        for (int i = 0; i < 3; i++) {
            byte[] expected = frames.get(i).clone();
            byte[] actual = TcpPackets.contents(back.get(i));
            assertEquals(0, back.get(i).offload().flags());
            if (!ipv6) {
                // IPv4 ids are numbered from the first frame's; the crafted ones all share it.
                for (int at : new int[] {ETH + 4, ETH + 5, ETH + 10, ETH + 11}) {
                    expected[at] = actual[at];
                }
            }
            assertArrayEquals(expected, actual, "frame " + i + " round trip");
        }
    }

    @Test
    void framesWithDifferentEthernetHeadersAreNotJoined() {
        byte[] first = frame(false, 0, ACK, 1200);
        for (int at : new int[] {0, 5, 6, 11}) {
            byte[] second = frame(false, 1, ACK, 1200);
            second[at] ^= 0x10;
            assertEquals(1, coalescer.next(TcpPackets.batchOf(List.of(first, second)), 0), "byte " + at);
        }
        assertEquals(0, coalescer.coalescedPackets());
    }

    @Test
    void arpVlanAndMislabelledFramesGoAloneUnchanged() {
        byte[] arp = TcpPackets.ethernet(TcpPackets.ETHERTYPE_ARP, TcpPackets.payload(28, 1));
        byte[] vlan0 = TcpPackets.vlanEthernet(5, TcpPackets.ETHERTYPE_IPV4,
                TcpPackets.tcp(false, 1000, ACK, NO_OPTIONS, TcpPackets.payload(1200, 0)));
        byte[] vlan1 = TcpPackets.vlanEthernet(5, TcpPackets.ETHERTYPE_IPV4,
                TcpPackets.tcp(false, 2200, ACK, NO_OPTIONS, TcpPackets.payload(1200, 1)));
        byte[] v4AsV6a = TcpPackets.ethernet(TcpPackets.ETHERTYPE_IPV6, TcpPackets.ip(frame(false, 0, ACK, 1200), ETH));
        byte[] v4AsV6b = TcpPackets.ethernet(TcpPackets.ETHERTYPE_IPV6, TcpPackets.ip(frame(false, 1, ACK, 1200), ETH));
        List<byte[]> frames = List.of(arp, vlan0, vlan1, v4AsV6a, v4AsV6b);
        PacketBatch batch = TcpPackets.batchOf(frames);
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(1, coalescer.next(batch, i), "frame " + i);
            assertArrayEquals(new byte[VirtioNetHeader.LENGTH], TcpPackets.contents(coalescer.out(), 0, VirtioNetHeader.LENGTH));
            assertArrayEquals(frames.get(i), TcpPackets.contents(coalescer.out(), VirtioNetHeader.LENGTH,
                    coalescer.outLength() - VirtioNetHeader.LENGTH), "frame " + i + " unchanged");
        }
        assertEquals(0, coalescer.coalescedPackets());
    }

    @Test
    void aFrameWithABadChecksumIsNotJoined() {
        byte[] first = frame(true, 0, ACK, 1200);
        byte[] second = frame(true, 1, ACK, 1200);
        second[ETH + 100] ^= 1;
        assertEquals(1, coalescer.next(TcpPackets.batchOf(List.of(first, second)), 0));
        byte[] badIpHeader = frame(false, 1, ACK, 1200);
        badIpHeader[ETH + 11] ^= 1;
        assertEquals(1, coalescer.next(TcpPackets.batchOf(List.of(frame(false, 0, ACK, 1200), badIpHeader)), 0));
        assertEquals(0, coalescer.coalescedPackets());
    }

    @Test
    void theSuperFrameStopsAt64KiBOfIp() {
        int n = 60;
        PacketBatch batch = new PacketBatch(n);
        for (int i = 0; i < n; i++) {
            batch.add(TcpPackets.buffer(frame(false, i, ACK, 1200), 0));
        }
        int first = coalescer.next(batch, 0);
        assertEquals((TcpCoalescer.MAX_SUPER_PACKET - 40) / 1200, first);
        assertTrue(coalescer.outLength() - VirtioNetHeader.LENGTH - ETH <= TcpCoalescer.MAX_SUPER_PACKET);
        assertEquals(n - first, coalescer.next(batch, first));
    }

    @Test
    void aFrameLongerThanAnyIpPacketPlusItsHeaderIsRefused() {
        PacketBatch batch = new PacketBatch(1);
        batch.add(new PacketBuffer(70_000).span(0, ETH + SuperPacketSplitter.MAX_PACKET + 1));
        assertEquals(1, coalescer.next(batch, 0));
        assertEquals(0, coalescer.outLength());
    }
}
