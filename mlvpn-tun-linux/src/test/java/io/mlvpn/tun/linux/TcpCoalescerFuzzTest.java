package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Fuzz target: {@link TcpCoalescer} with any write batch (docs/fuzzing.md). Input: one byte
 * choosing tun or tap, then up to {@value #BATCH} records, each a two-byte length, a control byte
 * and the packet (or frame). The control byte's bit 0 marks the packet's checksum partial (its
 * offload info pointing at the TCP checksum, as the engine hands such packets over); bits 1 and 2
 * make the harness complete the IPv4 header and TCP checksums first, so that the fuzzer reaches
 * the joining code past the checksum checks. Every packet is consumed exactly once, and every
 * super-packet splits back (as the kernel will cut it) into exactly the packets it joined, byte
 * for byte in their TCP payloads.
 */
class TcpCoalescerFuzzTest {
    private static final int BATCH = 16;
    private static final int OFFSET = 16;
    private static final int CAPACITY = OFFSET + 8192;
    private final TcpCoalescer tun = new TcpCoalescer(SuperPacketSplitter.NO_LINK_HEADER);
    private final TcpCoalescer tap = new TcpCoalescer(SuperPacketSplitter.ETHERNET_HEADER);
    private final SuperPacketSplitter tunSplitter = new SuperPacketSplitter(SuperPacketSplitter.NO_LINK_HEADER);
    private final SuperPacketSplitter tapSplitter = new SuperPacketSplitter(SuperPacketSplitter.ETHERNET_HEADER);
    private final PacketBuffer[] buffers = new PacketBuffer[BATCH];
    private final PacketBatch batch = new PacketBatch(BATCH);
    private final PacketBatch resegmented = new PacketBatch(BATCH);

    TcpCoalescerFuzzTest() {
        for (int i = 0; i < BATCH; i++) {
            buffers[i] = new PacketBuffer(CAPACITY);
            resegmented.add(new PacketBuffer(CAPACITY));
        }
    }

    @FuzzTest
    void coalescesAnyBatch(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int link = (input[0] & 1) == 0 ? SuperPacketSplitter.NO_LINK_HEADER : SuperPacketSplitter.ETHERNET_HEADER;
        TcpCoalescer coalescer = link == 0 ? tun : tap;
        batch.clear();
        int at = 1;
        while (batch.size() < BATCH && at + 3 <= input.length) {
            int length = Math.min((input[at] & 0xFF) << 8 | (input[at + 1] & 0xFF), input.length - at - 3);
            int control = input[at + 2] & 0xFF;
            at += 3;
            PacketBuffer b = buffers[batch.size()].clear();
            b.data().put(OFFSET, input, at, Math.min(length, CAPACITY - OFFSET));
            b.span(OFFSET, Math.min(length, CAPACITY - OFFSET));
            at += length;
            prepare(b, link, control);
            batch.add(b);
        }
        int from = 0;
        while (from < batch.size()) {
            int consumed = coalescer.next(batch, from);
            final int start = from;
            assertTrue(consumed >= 1 && from + consumed <= batch.size(),
                    () -> "consumed " + consumed + " of " + (batch.size() - start) + " packets");
            int outLength = coalescer.outLength();
            assertTrue(outLength >= VirtioNetHeader.LENGTH && outLength <= coalescer.out().capacity(),
                    () -> "out length " + outLength);
            if (consumed == 1) {
                assertEquals(VirtioNetHeader.LENGTH + batch.get(from).length(), outLength, "a packet alone");
            } else {
                checkSplitsBack(link, from, consumed);
            }
            from += consumed;
        }
    }

    /** What the kernel does with the super-packet: the same TCP payloads, in the same segments. */
    private void checkSplitsBack(int link, int from, int count) {
        SuperPacketSplitter splitter = link == 0 ? tunSplitter : tapSplitter;
        TcpCoalescer coalescer = link == 0 ? tun : tap;
        splitter.scratch().put(0, coalescer.out(), 0, coalescer.outLength());
        assertTrue(splitter.load(coalescer.outLength()), "the super-packet is one the kernel takes");
        for (int i = 0; i < BATCH; i++) {
            resegmented.get(i).clear().span(0, 0);
        }
        assertEquals(count, splitter.drain(resegmented, 0), "segments of the super-packet");
        OffloadInfo header = new OffloadInfo();
        VirtioNetHeader.read(coalescer.out(), 0, header);
        int headers = header.headerLength();
        for (int i = 0; i < count; i++) {
            PacketBuffer original = batch.get(from + i);
            PacketBuffer segment = resegmented.get(i);
            assertEquals(original.length(), segment.length(), "length of segment " + i);
            assertEquals(payload(original, headers), payload(segment, headers), "payload of segment " + i);
        }
    }

    private static String payload(PacketBuffer p, int headers) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (int i = p.offset() + headers; i < p.end(); i++) {
            s.write(p.data().get(i));
        }
        return java.util.HexFormat.of().formatHex(s.toByteArray());
    }

    /** Applies a record's control byte: partial checksum flag, checksums completed by the harness. */
    private static void prepare(PacketBuffer b, int link, int control) {
        ByteBuffer d = b.data();
        int ip = b.offset() + link;
        int length = b.length() - link;
        if (length < 40) {
            return;
        }
        boolean ipv6 = (d.get(ip) & 0xF0) == 0x60;
        int ipHeader = ipv6 ? 40 : (d.get(ip) & 0x0F) * 4;
        if (ipHeader < 20 || ipHeader + 20 > length) {
            return;
        }
        if ((control & 2) != 0 && !ipv6) {
            d.putShort(ip + 10, (short) 0);
            d.putShort(ip + 10, (short) checksum(d, ip, ipHeader, 0));
        }
        int tcp = ip + ipHeader;
        int tcpLength = length - ipHeader;
        if ((control & 4) != 0) {
            d.putShort(tcp + 16, (short) 0);
            d.putShort(tcp + 16, (short) checksum(d, tcp, tcpLength, pseudo(d, ip, ipv6, tcpLength)));
        }
        if ((control & 1) != 0) {
            b.offload().set(OffloadInfo.FLAG_NEEDS_CSUM, OffloadInfo.GSO_NONE, 0, 0, link + ipHeader, 16);
        }
    }

    private static long pseudo(ByteBuffer d, int ip, boolean ipv6, int tcpLength) {
        int from = ip + (ipv6 ? 8 : 12);
        return sum(d, from, ipv6 ? 32 : 8) + 6 + tcpLength;
    }

    private static int checksum(ByteBuffer d, int from, int length, long initial) {
        long s = initial + sum(d, from, length);
        while (s > 0xFFFF) {
            s = (s >>> 16) + (s & 0xFFFF);
        }
        return (int) (~s & 0xFFFF);
    }

    private static long sum(ByteBuffer d, int from, int length) {
        long s = 0;
        for (int i = 0; i < length; i += 2) {
            int high = d.get(from + i) & 0xFF;
            int low = i + 1 < length ? d.get(from + i + 1) & 0xFF : 0;
            s += high << 8 | low;
        }
        return s;
    }
}
