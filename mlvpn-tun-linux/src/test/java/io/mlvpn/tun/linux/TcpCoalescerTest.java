package io.mlvpn.tun.linux;

import static io.mlvpn.tun.linux.TcpPackets.ACK;
import static io.mlvpn.tun.linux.TcpPackets.CWR;
import static io.mlvpn.tun.linux.TcpPackets.FIN;
import static io.mlvpn.tun.linux.TcpPackets.PSH;
import static io.mlvpn.tun.linux.TcpPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpCoalescerTest {
    private static final byte[] NO_OPTIONS = new byte[0];
    private final TcpCoalescer coalescer = new TcpCoalescer(SuperPacketSplitter.NO_LINK_HEADER);

    private static byte[] segment(boolean ipv6, int index, int flags, int payloadBytes) {
        return TcpPackets.tcp(ipv6, 1000 + index * 1200, flags, NO_OPTIONS, TcpPackets.payload(payloadBytes, index));
    }

    /** What the kernel will do with the super-packet: segmentation, then (see completed) checksum completion. */
    private SuperPacketSplitter resegment() {
        SuperPacketSplitter splitter = new SuperPacketSplitter(SuperPacketSplitter.NO_LINK_HEADER);
        ByteBuffer out = coalescer.out();
        splitter.scratch().put(0, out, 0, coalescer.outLength());
        assertTrue(splitter.load(coalescer.outLength()));
        return splitter;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void consecutiveSegmentsBecomeOneSuperPacketThatSplitsBackIntoThem(boolean ipv6) {
        List<byte[]> packets = List.of(segment(ipv6, 0, ACK, 1200), segment(ipv6, 1, ACK, 1200), segment(ipv6, 2, ACK | PSH, 700));
        PacketBatch batch = TcpPackets.batchOf(packets);
        assertEquals(3, coalescer.next(batch, 0));
        ByteBuffer out = coalescer.out();
        OffloadInfo header = new OffloadInfo();
        VirtioNetHeader.read(out, 0, header);
        int ip = ipv6 ? 40 : 20;
        assertEquals(VirtioNetHeader.FLAG_NEEDS_CSUM, header.flags());
        assertEquals(ipv6 ? OffloadInfo.GSO_TCPV6 : OffloadInfo.GSO_TCPV4, header.gsoType());
        assertEquals(1200, header.gsoSize());
        assertEquals(ip + 20, header.headerLength());
        assertEquals(ip, header.csumStart());
        assertEquals(16, header.csumOffset());
        int total = ip + 20 + 3100;
        assertEquals(VirtioNetHeader.LENGTH + total, coalescer.outLength());
        int p = VirtioNetHeader.LENGTH;
        if (ipv6) {
            assertEquals(total - 40, out.getShort(p + 4) & 0xffff);
        } else {
            assertEquals(total, out.getShort(p + 2) & 0xffff);
            assertEquals(0, TcpPackets.checksum(TcpPackets.contents(out, p, 20), 0, 20, 0), "IPv4 header checksum");
        }
        assertEquals(ACK | PSH, out.get(p + ip + 13), "PSH of the last segment");
        byte[] superPacket = TcpPackets.contents(out, p, total);
        long pseudo = TcpPackets.pseudo(superPacket, ipv6, total - ip);
        assertEquals(~TcpPackets.checksum(new byte[0], 0, 0, pseudo) & 0xffff, out.getShort(p + ip + 16) & 0xffff,
                "checksum field holds the folded pseudo-header sum");
        assertEquals(3, coalescer.coalescedPackets());

        SuperPacketSplitter splitter = resegment();
        PacketBatch back = new PacketBatch(3);
        for (int i = 0; i < 3; i++) {
            back.add(new PacketBuffer(2048).span(0, 0));
        }
        assertEquals(3, splitter.drain(back, 0));
        for (int i = 0; i < 3; i++) {
            byte[] expected = packets.get(i).clone();
            byte[] actual = TcpPackets.completed(back.get(i));
            if (!ipv6) {
                // The kernel numbers IPv4 ids from the first segment's; the crafted ones all share it.
                expected[4] = actual[4];
                expected[5] = actual[5];
                expected[10] = actual[10];
                expected[11] = actual[11];
            }
            assertArrayEquals(expected, actual, "segment " + i + " round trip");
            assertTrue(TcpPackets.checksumsValid(actual));
        }
    }

    @Test
    void aLoneOrNonTcpPacketGoesOutWithAZeroHeader() {
        byte[] lone = segment(false, 0, ACK, 1200);
        PacketBatch batch = TcpPackets.batchOf(List.of(lone, new byte[] {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 1, 2, 3, 4, 5, 6,
            7, 8, 0, 1, 0, 2, 0, 8, 0, 0}));
        assertEquals(1, coalescer.next(batch, 0));
        assertEquals(VirtioNetHeader.LENGTH + lone.length, coalescer.outLength());
        assertArrayEquals(new byte[VirtioNetHeader.LENGTH], TcpPackets.contents(coalescer.out(), 0, VirtioNetHeader.LENGTH));
        assertArrayEquals(lone, TcpPackets.contents(coalescer.out(), VirtioNetHeader.LENGTH, lone.length));
        assertEquals(1, coalescer.next(batch, 1));
        assertEquals(VirtioNetHeader.LENGTH + 28, coalescer.outLength());
        assertEquals(0, coalescer.coalescedPackets());
    }

    /** The packet as the engine hands over one whose peer left its checksum partial. */
    private static PacketBuffer partial(byte[] packet, int csumStart) {
        int ip = (packet[0] & 0xf0) == 0x60 ? 40 : 20;
        ByteBuffer b = ByteBuffer.wrap(packet);
        b.putShort(ip + 16, (short) (~TcpPackets.checksum(new byte[0], 0, 0, TcpPackets.pseudo(packet, ip == 40,
                packet.length - ip)) & 0xffff));
        PacketBuffer buffer = TcpPackets.buffer(packet, 0);
        buffer.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, csumStart, 16);
        return buffer;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void partialSegmentsJoinWithoutBeingSummedAndSplitBackIntoCompleteOnes(boolean ipv6) {
        int ip = ipv6 ? 40 : 20;
        List<byte[]> packets = List.of(segment(ipv6, 0, ACK, 1200), segment(ipv6, 1, ACK, 1200), segment(ipv6, 2, ACK | PSH, 700));
        PacketBatch batch = new PacketBatch(3);
        for (byte[] p : packets) {
            batch.add(partial(p.clone(), ip));
        }
        assertEquals(3, coalescer.next(batch, 0));
        assertEquals(3, coalescer.coalescedPackets());

        SuperPacketSplitter splitter = resegment();
        PacketBatch back = new PacketBatch(3);
        for (int i = 0; i < 3; i++) {
            back.add(new PacketBuffer(2048).span(0, 0));
        }
        assertEquals(3, splitter.drain(back, 0));
        for (int i = 0; i < 3; i++) {
            byte[] actual = TcpPackets.completed(back.get(i));
            assertTrue(TcpPackets.checksumsValid(actual), "segment " + i);
            assertArrayEquals(java.util.Arrays.copyOfRange(packets.get(i), ip + 20, packets.get(i).length),
                    java.util.Arrays.copyOfRange(actual, ip + 20, actual.length), "segment " + i + " payload");
        }
    }

    @Test
    void aPartialChecksumAnywhereButTheTcpFieldKeepsSegmentsApart() {
        PacketBatch batch = new PacketBatch(2);
        batch.add(partial(segment(false, 0, ACK, 1200), 20));
        batch.add(partial(segment(false, 1, ACK, 1200), 24));
        assertEquals(1, coalescer.next(batch, 0));
        assertEquals(0, coalescer.coalescedPackets());
    }

    @Test
    void aLonePartialPacketKeepsItsChecksumForTheKernel() {
        byte[] lone = segment(true, 0, ACK | PSH, 300);
        PacketBatch batch = new PacketBatch(1);
        batch.add(partial(lone, 40));
        assertEquals(1, coalescer.next(batch, 0));
        OffloadInfo header = new OffloadInfo();
        VirtioNetHeader.read(coalescer.out(), 0, header);
        assertEquals(VirtioNetHeader.FLAG_NEEDS_CSUM, header.flags());
        assertEquals(OffloadInfo.GSO_NONE, header.gsoType());
        assertEquals(40, header.csumStart());
        assertEquals(16, header.csumOffset());
        assertArrayEquals(TcpPackets.contents(batch.get(0)),
                TcpPackets.contents(coalescer.out(), VirtioNetHeader.LENGTH, lone.length));
    }

    @Test
    void aPacketLongerThanAnyIpPacketIsRefused() {
        PacketBatch batch = new PacketBatch(1);
        batch.add(new PacketBuffer(70_000).span(0, 66_000));
        assertEquals(1, coalescer.next(batch, 0));
        assertEquals(0, coalescer.outLength());
    }

    /** Each change to the second of two otherwise joinable IPv4 segments (or to both) that must keep them apart. */
    @ParameterizedTest
    @ValueSource(strings = {"seq", "ack", "window", "ports", "address", "ttl", "tos", "df", "fragment", "ipOptions",
        "options", "flagsPsh", "flagsFin", "flagsSyn", "flagsCwr", "longer", "emptyPayload", "badTcpChecksum",
        "badIpChecksum", "ipv6", "lengthField"})
    void nonMatchingSegmentsAreNotJoined(String change) {
        byte[] first = segment(false, 0, ACK, 1200);
        byte[] second = segment(false, 1, ACK, 1200);
        UnaryOperator<byte[]> edit = p -> p;
        switch (change) {
            case "seq": second = TcpPackets.tcp(false, 1000 + 1201, ACK, NO_OPTIONS, TcpPackets.payload(1200, 1)); break;
            case "ack": edit = p -> { ByteBuffer.wrap(p).putInt(28, 99); return p; }; break;
            case "window": edit = p -> { ByteBuffer.wrap(p).putShort(34, (short) 7); return p; }; break;
            case "ports": edit = p -> { ByteBuffer.wrap(p).putShort(20, (short) 7); return p; }; break;
            case "address": edit = p -> { p[15] = 9; return p; }; break;
            case "ttl": edit = p -> { p[8] = 9; return p; }; break;
            case "tos": edit = p -> { p[1] = 4; return p; }; break;
            case "df": edit = p -> { p[6] = 0; return p; }; break;
            case "fragment": edit = p -> { p[6] = 0x20; return p; }; break;
            case "options": second = TcpPackets.tcp(false, 2200, ACK, new byte[] {1, 1, 1, 1}, TcpPackets.payload(1196, 1)); break;
            case "flagsPsh": first = segment(false, 0, ACK | PSH, 1200); break;
            case "flagsFin": second = segment(false, 1, ACK | FIN, 1200); break;
            case "flagsSyn": second = segment(false, 1, ACK | SYN, 1200); break;
            case "flagsCwr": second = segment(false, 1, ACK | CWR, 1200); break;
            case "longer": second = segment(false, 1, ACK, 1201); break;
            case "emptyPayload": second = segment(false, 1, ACK, 0); break;
            case "badTcpChecksum": second[100] ^= 1; break;
            case "badIpChecksum": second[11] ^= 1; break;
            case "ipv6": second = segment(true, 1, ACK, 1200 - 20); break;
            case "lengthField": second[3] ^= 4; break;
            case "ipOptions": first = withIpOptions(first); second = withIpOptions(second); break;
            default: throw new AssertionError(change);
        }
        if (!change.equals("badTcpChecksum") && !change.equals("badIpChecksum") && !change.equals("lengthField")) {
            second = refreshChecksums(edit.apply(second));
        }
        assertEquals(1, coalescer.next(TcpPackets.batchOf(List.of(first, second)), 0), change);
        assertEquals(0, coalescer.coalescedPackets(), change);
    }

    @Test
    void aShorterSegmentEndsTheRun() {
        PacketBatch batch = TcpPackets.batchOf(List.of(segment(false, 0, ACK, 1200), segment(false, 1, ACK, 600),
                TcpPackets.tcp(false, 1000 + 1800, ACK, NO_OPTIONS, TcpPackets.payload(600, 2))));
        assertEquals(2, coalescer.next(batch, 0));
        assertEquals(1, coalescer.next(batch, 2));
    }

    @Test
    void theSuperPacketStopsAt64KiB() {
        int n = 60;
        PacketBatch batch = new PacketBatch(n);
        for (int i = 0; i < n; i++) {
            batch.add(TcpPackets.buffer(segment(false, i, ACK, 1200), 0));
        }
        int first = coalescer.next(batch, 0);
        assertEquals((TcpCoalescer.MAX_SUPER_PACKET - 40) / 1200, first);
        assertTrue(coalescer.outLength() - VirtioNetHeader.LENGTH <= TcpCoalescer.MAX_SUPER_PACKET);
        assertEquals(n - first, coalescer.next(batch, first));
    }

    private static byte[] withIpOptions(byte[] packet) {
        byte[] p = new byte[packet.length + 4];
        System.arraycopy(packet, 0, p, 0, 20);
        System.arraycopy(packet, 20, p, 24, packet.length - 20);
        p[0] = 0x46;
        p[20] = 1; // NOP options
        p[21] = 1;
        p[22] = 1;
        p[23] = 1;
        ByteBuffer.wrap(p).putShort(2, (short) p.length);
        return refreshChecksums(p);
    }

    /** Recomputes the IPv4 header and TCP checksums after an edit. */
    private static byte[] refreshChecksums(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        boolean ipv6 = (p[0] & 0xf0) == 0x60;
        int ip = ipv6 ? 40 : (p[0] & 0x0f) * 4;
        if (!ipv6) {
            b.putShort(10, (short) 0);
            b.putShort(10, (short) TcpPackets.checksum(p, 0, ip, 0));
        }
        b.putShort(ip + 16, (short) 0);
        b.putShort(ip + 16, (short) TcpPackets.checksum(p, ip, p.length - ip, TcpPackets.pseudo(p, ipv6, p.length - ip)));
        return p;
    }
}
