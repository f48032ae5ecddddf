package io.mlvpn.core.inner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.testing.InnerPackets;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PartialChecksumsTest {
    private static final int TCP = InternetChecksum.PROTOCOL_TCP;
    private static final int UDP = InternetChecksum.PROTOCOL_UDP;

    private static PacketBuffer buffer(byte[] packet) {
        PacketBuffer b = new PacketBuffer(packet.length + 64);
        b.data().put(16, packet);
        b.span(16, packet.length);
        return b;
    }

    private static byte[] contents(PacketBuffer b) {
        byte[] out = new byte[b.length()];
        b.data().get(b.offset(), out);
        return out;
    }

    /** The packet with its checksum made partial, as a device with offloads reads it. */
    private static PacketBuffer partial(byte[] complete, int csumStart, int csumOffset) {
        PacketBuffer b = buffer(complete);
        ByteBuffer d = b.data();
        boolean ipv6 = (complete[0] & 0xf0) == 0x60;
        int ip = ipv6 ? 40 : 20;
        int protocol = InternetChecksum.protocol(d, b.offset());
        long pseudo = InternetChecksum.pseudoHeader(d, b.offset(), ipv6, protocol, complete.length - ip);
        d.putShort(b.offset() + ip + InternetChecksum.checksumOffset(protocol), (short) InternetChecksum.fold(pseudo));
        b.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, csumStart, csumOffset);
        return b;
    }

    @Test
    void aCompletePacketIsNotPartial() {
        byte[] p = InnerPackets.build(false, TCP, 100, 1);
        PacketBuffer b = buffer(p);
        assertFalse(PartialChecksums.mayStayPartial(b, true));
        assertArrayEquals(p, contents(b));
    }

    @Test
    void tcpAndUdpPartialWhereThePeerLooksStayPartialOnATun() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (int protocol : new int[] {TCP, UDP}) {
                byte[] p = InnerPackets.build(ipv6, protocol, 300, 2);
                PacketBuffer b = partial(p, ipv6 ? 40 : 20, InternetChecksum.checksumOffset(protocol));
                byte[] before = contents(b);
                assertTrue(PartialChecksums.mayStayPartial(b, true), ipv6 + " " + protocol);
                assertArrayEquals(before, contents(b), "left partial");
            }
        }
    }

    @Test
    void otherPartialChecksumsAreCompletedBeforeSending() {
        byte[] p = InnerPackets.build(false, TCP, 200, 3);
        PacketBuffer onTap = partial(p, 20, 16);
        assertFalse(PartialChecksums.mayStayPartial(onTap, false), "not allowed: a tap device, or a peer that takes none");
        assertArrayEquals(p, contents(onTap));
        assertEquals(0, onTap.offload().flags());

        // The field where the device says, but not where the peer would look (UDP's offset in TCP).
        PacketBuffer elsewhere = partial(p, 20, 16);
        ByteBuffer d = elsewhere.data();
        int at = elsewhere.offset() + 20 + 6;
        short was = d.getShort(at);
        d.putShort(at, d.getShort(elsewhere.offset() + 36));
        d.putShort(elsewhere.offset() + 36, was);
        elsewhere.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, 20, 6);
        assertFalse(PartialChecksums.mayStayPartial(elsewhere, true));
        assertEquals(0, elsewhere.offload().flags());
        assertEquals(0xffff, InternetChecksum.fold(InternetChecksum.add(d, elsewhere.offset() + 20, 180,
                InternetChecksum.pseudoHeader(d, elsewhere.offset(), false, TCP, 180))), "valid once completed");
    }

    @Test
    void aFieldOutsideThePacketIsLeftAlone() {
        byte[] p = InnerPackets.build(false, UDP, 60, 4);
        PacketBuffer b = buffer(p);
        b.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, 50, 16);
        assertFalse(PartialChecksums.mayStayPartial(b, true));
        assertArrayEquals(p, contents(b));
    }

    @Test
    void aReceivedPartialPacketIsCompletedForADeviceWithoutPartialChecksums() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (int protocol : new int[] {TCP, UDP}) {
                byte[] p = InnerPackets.build(ipv6, protocol, 500, 5);
                PacketBuffer b = partial(p, 0, 0);
                b.offload().clear(); // what the receiver gets: bytes only
                assertTrue(PartialChecksums.received(b, false));
                assertArrayEquals(p, contents(b), ipv6 + " " + protocol);
                assertEquals(0, b.offload().flags());
            }
        }
    }

    @Test
    void aReceivedPartialPacketIsFlaggedForADeviceWithPartialChecksums() {
        byte[] p = InnerPackets.build(true, UDP, 500, 6);
        PacketBuffer b = partial(p, 0, 0);
        b.offload().clear();
        byte[] before = contents(b);
        assertTrue(PartialChecksums.received(b, true));
        assertArrayEquals(before, contents(b), "left for the device");
        assertEquals(OffloadInfo.FLAG_NEEDS_CSUM, b.offload().flags());
        assertEquals(40, b.offload().csumStart());
        assertEquals(6, b.offload().csumOffset());
    }

    @Test
    void aReceivedPacketThatCannotBePartialIsRefusedUnchanged() {
        byte[][] bad = {
            InnerPackets.build(false, InnerPackets.ICMP, 100, 7),
            InnerPackets.build(true, 0 /* an extension header */, 100, 8),
            new byte[] {0x45, 0, 0, 20, 0, 0, 0x40, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8},
            {0x10, 0x20},
            new byte[0],
        };
        for (int i = 0; i < bad.length; i++) {
            PacketBuffer b = buffer(bad[i]);
            assertFalse(PartialChecksums.received(b, true), "case " + i);
            assertArrayEquals(bad[i], contents(b), "case " + i);
            assertEquals(0, b.offload().flags(), "case " + i);
        }
    }
}
