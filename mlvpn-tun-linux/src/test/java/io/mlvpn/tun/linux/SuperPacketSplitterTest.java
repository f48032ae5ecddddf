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
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuperPacketSplitterTest {
    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
    private final SuperPacketSplitter splitter = new SuperPacketSplitter(SuperPacketSplitter.NO_LINK_HEADER);

    /** Puts a super-packet as the kernel hands it: header, then the packet with a partial TCP checksum. */
    private int loadSuperPacket(byte[] packet, int gsoType, int gsoSize) {
        boolean ipv6 = (packet[0] & 0xf0) == 0x60;
        int ip = ipv6 ? 40 : 20;
        int tcpHeader = ((packet[ip + 12] & 0xf0) >>> 4) * 4;
        ByteBuffer b = ByteBuffer.wrap(packet);
        b.putShort(ip + 16, (short) 0x1234); // whatever the kernel left there: the splitter must not use it
        ByteBuffer s = splitter.scratch();
        VirtioNetHeader.write(s, 0, VirtioNetHeader.FLAG_NEEDS_CSUM, gsoType, ip + tcpHeader, gsoSize, ip, 16);
        s.put(VirtioNetHeader.LENGTH, packet);
        return VirtioNetHeader.LENGTH + packet.length;
    }

    /** A segment's checksum stays partial: flagged at the TCP header, valid once completed. */
    private static void assertPartialTcp(PacketBuffer p, int ip, String what) {
        assertEquals(OffloadInfo.FLAG_NEEDS_CSUM, p.offload().flags(), what);
        assertEquals(OffloadInfo.GSO_NONE, p.offload().gsoType(), what);
        assertEquals(ip, p.offload().csumStart(), what);
        assertEquals(16, p.offload().csumOffset(), what);
        assertFalse(TcpPackets.checksumsValid(TcpPackets.contents(p)), what + ": not complete before");
        assertTrue(TcpPackets.checksumsValid(TcpPackets.completed(p)), what + ": valid once completed");
    }

    @Test
    void ipv4SuperPacketIsCutIntoValidSegments() {
        byte[] payload = TcpPackets.payload(3000, 5);
        byte[] superPacket = TcpPackets.tcp(false, 0x7ffffc00, ACK | PSH | FIN | CWR, new byte[0], payload);
        assertTrue(splitter.load(loadSuperPacket(superPacket, OffloadInfo.GSO_TCPV4, 1000)));
        PacketBatch batch = TcpPackets.emptyBatch(4, 2048, 100);
        assertEquals(3, splitter.drain(batch, 0));
        assertFalse(splitter.hasPending());
        for (int i = 0; i < 3; i++) {
            PacketBuffer p = batch.get(i);
            byte[] seg = TcpPackets.contents(p);
            ByteBuffer b = ByteBuffer.wrap(seg);
            assertEquals(100, p.offset());
            assertEquals(40 + 1000, seg.length);
            assertPartialTcp(p, 20, "segment " + i);
            assertEquals(seg.length, b.getShort(2) & 0xffff);
            assertEquals(0x1000 + i, b.getShort(4) & 0xffff, "IP id incremented");
            assertEquals(0x7ffffc00 + i * 1000, b.getInt(24));
            int flags = seg[33] & 0xff;
            assertEquals(i == 0, (flags & CWR) != 0, "CWR on the first only");
            assertEquals(i == 2, (flags & (PSH | FIN)) == (PSH | FIN), "PSH and FIN on the last only");
            assertEquals(i != 2, (flags & (PSH | FIN)) == 0);
            assertTrue((flags & ACK) != 0);
            assertArrayEquals(Arrays.copyOfRange(payload, i * 1000, i * 1000 + 1000), Arrays.copyOfRange(seg, 40, seg.length));
        }
        assertEquals(0, splitter.malformedDropped());
    }

    @Test
    void ipv6SuperPacketWithOptionsAndAShortLastSegment() {
        byte[] payload = TcpPackets.payload(2500, 9);
        byte[] superPacket = TcpPackets.tcp(true, -100, ACK, TIMESTAMPS, payload);
        assertTrue(splitter.load(loadSuperPacket(superPacket, OffloadInfo.GSO_TCPV6, 1000)));
        PacketBatch batch = TcpPackets.emptyBatch(3, 2048, 0);
        assertEquals(3, splitter.drain(batch, 0));
        int[] expectedPayload = {1000, 1000, 500};
        for (int i = 0; i < 3; i++) {
            byte[] seg = TcpPackets.contents(batch.get(i));
            ByteBuffer b = ByteBuffer.wrap(seg);
            assertPartialTcp(batch.get(i), 40, "segment " + i);
            assertEquals(40 + 32 + expectedPayload[i], seg.length);
            assertEquals(seg.length - 40, b.getShort(4) & 0xffff, "IPv6 payload length");
            assertEquals(-100 + i * 1000, b.getInt(44));
            assertArrayEquals(TIMESTAMPS, Arrays.copyOfRange(seg, 60, 72));
            assertArrayEquals(Arrays.copyOfRange(payload, i * 1000, i * 1000 + expectedPayload[i]),
                    Arrays.copyOfRange(seg, 72, seg.length));
        }
    }

    @Test
    void segmentsThatDoNotFitTheBatchWaitForTheNextDrain() {
        byte[] payload = TcpPackets.payload(5 * 100, 1);
        assertTrue(splitter.load(loadSuperPacket(TcpPackets.tcp(false, 1, ACK, new byte[0], payload),
                OffloadInfo.GSO_TCPV4, 100)));
        PacketBatch two = TcpPackets.emptyBatch(2, 512, 0);
        assertEquals(2, splitter.drain(two, 0));
        assertTrue(splitter.hasPending());
        assertThrows(IllegalStateException.class, () -> splitter.load(100), "no new read while segments wait");
        assertEquals(1, splitter.drain(two, 1), "fills from the given index");
        assertEquals(1 + 200, ByteBuffer.wrap(TcpPackets.contents(two.get(1))).getInt(24));
        assertEquals(2, splitter.drain(two, 0));
        assertEquals(1 + 400, ByteBuffer.wrap(TcpPackets.contents(two.get(1))).getInt(24));
        assertFalse(splitter.hasPending());
        assertEquals(0, splitter.drain(two, 0));
    }

    /** Puts a plain packet whose TCP checksum is partial, with the given csum_start and csum_offset. */
    private int loadPartial(byte[] packet, int csumStart, int csumOffset) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        int tcpLength = packet.length - 20;
        // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum, not complemented.
        b.putShort(36, (short) (~TcpPackets.checksum(new byte[0], 0, 0, TcpPackets.pseudo(packet, false, tcpLength)) & 0xffff));
        assertFalse(TcpPackets.checksumsValid(packet));
        ByteBuffer s = splitter.scratch();
        VirtioNetHeader.write(s, 0, VirtioNetHeader.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, csumStart, csumOffset);
        s.put(VirtioNetHeader.LENGTH, packet);
        return VirtioNetHeader.LENGTH + packet.length;
    }

    @Test
    void partialChecksumWithoutGsoStaysPartialWhereThePeerFindsIt() {
        byte[] packet = TcpPackets.tcp(false, 5, ACK | PSH, new byte[0], TcpPackets.payload(333, 2));
        assertTrue(splitter.load(loadPartial(packet, 20, 16)));
        PacketBatch batch = TcpPackets.emptyBatch(1, 2048, 0);
        assertEquals(1, splitter.drain(batch, 0));
        assertArrayEquals(packet, TcpPackets.contents(batch.get(0)), "copied as it came");
        assertPartialTcp(batch.get(0), 20, "the packet");
    }

    @Test
    void partialChecksumElsewhereIsCompleted() {
        byte[] packet = TcpPackets.tcp(false, 5, ACK | PSH, new byte[0], TcpPackets.payload(333, 2));
        // A sum that starts earlier (here at the IPv4 addresses, so the field holds only protocol and
        // length) is not where the peer looks: the splitter completes it.
        int length = loadPartial(packet, 12, 36 - 12);
        splitter.scratch().putShort(VirtioNetHeader.LENGTH + 36, (short) (6 + packet.length - 20));
        assertTrue(splitter.load(length));
        PacketBatch batch = TcpPackets.emptyBatch(1, 2048, 0);
        assertEquals(1, splitter.drain(batch, 0));
        assertEquals(0, batch.get(0).offload().flags());
        assertTrue(TcpPackets.checksumsValid(TcpPackets.contents(batch.get(0))));
    }

    @Test
    void plainPacketIsCopiedUnchangedAndTruncatedToTheSpace() {
        byte[] packet = TcpPackets.tcp(true, 5, ACK, new byte[0], TcpPackets.payload(100, 2));
        ByteBuffer s = splitter.scratch();
        VirtioNetHeader.writeEmpty(s, 0);
        s.put(VirtioNetHeader.LENGTH, packet);
        assertTrue(splitter.load(VirtioNetHeader.LENGTH + packet.length));
        PacketBatch batch = TcpPackets.emptyBatch(1, 2048, 7);
        splitter.drain(batch, 0);
        assertArrayEquals(packet, TcpPackets.contents(batch.get(0)));

        assertTrue(splitter.load(VirtioNetHeader.LENGTH + packet.length));
        PacketBatch small = TcpPackets.emptyBatch(1, 64, 4);
        splitter.drain(small, 0);
        assertEquals(60, small.get(0).length());
        assertEquals(1, splitter.truncated());
    }

    @Test
    void aSegmentLargerThanTheBufferIsTruncatedAndCounted() {
        assertTrue(splitter.load(loadSuperPacket(TcpPackets.tcp(false, 1, ACK, new byte[0], TcpPackets.payload(2000, 1)),
                OffloadInfo.GSO_TCPV4, 1000)));
        PacketBatch batch = TcpPackets.emptyBatch(2, 500, 0);
        assertEquals(2, splitter.drain(batch, 0));
        assertEquals(500, batch.get(0).length());
        assertEquals(2, splitter.truncated());
    }

    @Test
    void malformedSuperPacketsAreDroppedAndCounted() {
        byte[] v4 = TcpPackets.tcp(false, 1, ACK, new byte[0], TcpPackets.payload(300, 1));
        byte[] v6 = TcpPackets.tcp(true, 1, ACK, new byte[0], TcpPackets.payload(300, 1));
        int n = 0;
        assertFalse(splitter.load(0), "empty read");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.load(VirtioNetHeader.LENGTH), "header only");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.load(splitter.scratch().capacity()), "over-long read");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.load(loadSuperPacket(v6.clone(), OffloadInfo.GSO_TCPV4, 100)), "IPv6 under TCPV4");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.load(loadSuperPacket(v4.clone(), OffloadInfo.GSO_TCPV6, 100)), "IPv4 under TCPV6");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.load(loadSuperPacket(v4.clone(), OffloadInfo.GSO_TCPV4, 0)), "gso_size 0");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.load(loadSuperPacket(v4.clone(), OffloadInfo.GSO_UDP_L4, 100)), "USO not asked for");
        assertEquals(++n, splitter.malformedDropped());
        byte[] udp = v4.clone();
        udp[9] = 17;
        assertFalse(splitter.load(loadSuperPacket(udp, OffloadInfo.GSO_TCPV4, 100)), "not TCP");
        assertEquals(++n, splitter.malformedDropped());
        byte[] longHeader = v4.clone();
        longHeader[32] = (byte) 0xf0; // 60-byte TCP header on a 20-byte one is fine, but cut short below
        int length = loadSuperPacket(longHeader, OffloadInfo.GSO_TCPV4, 100);
        assertFalse(splitter.load(VirtioNetHeader.LENGTH + 50), "TCP header past the end");
        assertEquals(++n, splitter.malformedDropped());
        assertTrue(length > 0);
        byte[] tinyHeader = v4.clone();
        tinyHeader[32] = 0x40; // data offset 16 bytes
        assertFalse(splitter.load(loadSuperPacket(tinyHeader, OffloadInfo.GSO_TCPV4, 100)), "TCP header below 20");
        assertEquals(++n, splitter.malformedDropped());
        loadSuperPacket(v4.clone(), OffloadInfo.GSO_TCPV4, 100);
        VirtioNetHeader.write(splitter.scratch(), 0, VirtioNetHeader.FLAG_NEEDS_CSUM, OffloadInfo.GSO_TCPV4, 40, 100, 24, 16);
        assertFalse(splitter.load(VirtioNetHeader.LENGTH + v4.length), "csum_start is not the TCP header");
        assertEquals(++n, splitter.malformedDropped());
        VirtioNetHeader.write(splitter.scratch(), 0, VirtioNetHeader.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, 20,
                v4.length);
        assertFalse(splitter.load(VirtioNetHeader.LENGTH + v4.length), "checksum field past the end");
        assertEquals(++n, splitter.malformedDropped());
        assertFalse(splitter.hasPending());
        assertEquals(0, splitter.drain(TcpPackets.emptyBatch(1, 2048, 0), 0));
    }

    @Test
    void garbageNeverThrowsNorLoops() {
        Random random = new Random(42);
        PacketBatch batch = TcpPackets.emptyBatch(8, 2048, 0);
        ByteBuffer s = splitter.scratch();
        long handedOut = 0;
        for (int round = 0; round < 2000; round++) {
            int length = random.nextInt(3000);
            for (int i = 0; i < length; i++) {
                s.put(i, (byte) random.nextInt());
            }
            if (round % 2 == 0 && length > 12) {
                s.put(1, (byte) (random.nextBoolean() ? OffloadInfo.GSO_TCPV4 : OffloadInfo.GSO_TCPV6));
                s.put(VirtioNetHeader.LENGTH, (byte) (random.nextBoolean() ? 0x45 : 0x60));
            }
            if (splitter.load(length)) {
                int drains = 0;
                while (splitter.hasPending()) {
                    int filled = splitter.drain(batch, 0);
                    assertTrue(filled > 0);
                    handedOut += filled;
                    assertTrue(++drains <= 65_536 / 8 + 1, "bounded");
                }
            }
        }
        assertTrue(splitter.malformedDropped() > 0);
        assertTrue(handedOut >= 0);
    }
}
