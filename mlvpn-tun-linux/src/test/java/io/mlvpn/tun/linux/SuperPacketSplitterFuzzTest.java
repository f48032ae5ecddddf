package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.packet.OffloadInfo;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import java.nio.ByteBuffer;

/**
 * Fuzz target: {@link SuperPacketSplitter} with any read of a tun or tap device, virtio header
 * included (docs/fuzzing.md). Input: one byte choosing tun or tap and the caller's buffers, then
 * what the read gave (the 10-byte virtio header, then the packet or frame). Every read is taken or
 * dropped, never thrown on; its segments drain in bounded steps into the caller's buffers without
 * overrunning them, and a segment left with a partial checksum has its checksum field inside it.
 */
class SuperPacketSplitterFuzzTest {
    /** Buffer sizes a caller may drain into: tiny, an Ethernet MTU, the engine's usual, a super-packet. */
    private static final int[] CAPACITIES = {96, 1500, 2048, 70_000};
    private static final int BATCH = 8;
    private final SuperPacketSplitter tun = new SuperPacketSplitter(SuperPacketSplitter.NO_LINK_HEADER);
    private final SuperPacketSplitter tap = new SuperPacketSplitter(SuperPacketSplitter.ETHERNET_HEADER);
    private final PacketBatch[] batches = new PacketBatch[CAPACITIES.length];

    @FuzzTest
    void splitsAnyRead(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int choice = input[0] & 0xFF;
        SuperPacketSplitter splitter = (choice & 1) == 0 ? tun : tap;
        PacketBatch batch = batch((choice >>> 1) & 3);
        int offset = (choice >>> 3) * 2;
        int read = input.length - 1;
        ByteBuffer scratch = splitter.scratch();
        if (read > scratch.capacity()) {
            return;
        }
        scratch.put(0, input, 1, read);
        long truncatedBefore = splitter.truncated();
        boolean taken = splitter.load(read);
        assertTrue(taken || !splitter.hasPending(), "a dropped read leaves nothing pending");
        int rounds = 0;
        while (splitter.hasPending()) {
            assertTrue(++rounds <= read + 1, "draining does not end");
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).clear().span(offset, 0);
            }
            final int filled = splitter.drain(batch, 0);
            assertTrue(filled > 0 && filled <= batch.size(), () -> "drained " + filled + " with segments pending");
            for (int i = 0; i < filled; i++) {
                PacketBuffer p = batch.get(i);
                assertTrue(p.offset() == offset && p.end() <= p.capacity(), () -> "segment inside its buffer: " + p);
                if (splitter.truncated() == truncatedBefore
                        && (p.offload().flags() & OffloadInfo.FLAG_NEEDS_CSUM) != 0) {
                    assertFalse(splitter == tap, "a tap's segments leave with complete checksums");
                    assertTrue(InternetChecksum.complete(p.data(), p.offset(), p.length(), p.offload().csumStart(),
                            p.offload().csumOffset()), () -> "partial checksum field outside the segment: "
                            + p.offload().csumStart() + "+" + p.offload().csumOffset() + " in " + p);
                }
            }
        }
        assertTrue(splitter.drain(batch, 0) == 0, "nothing more once drained");
    }

    private PacketBatch batch(int size) {
        if (batches[size] == null) {
            PacketBatch b = new PacketBatch(BATCH);
            for (int i = 0; i < BATCH; i++) {
                b.add(new PacketBuffer(CAPACITIES[size]));
            }
            batches[size] = b;
        }
        return batches[size];
    }
}
