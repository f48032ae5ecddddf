package io.mlvpn.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mlvpn.api.packet.PacketBuffer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The metadata a pooled buffer carries: marked by one thread, read by the next, reset on reuse. */
class PacketMetaTest {

    @Test
    void aPooledBufferComesUnmarked() {
        PacketBuffer b = new BufferPool(256, 2).acquire();
        PacketMeta meta = PacketMeta.of(b);
        assertNotNull(meta);
        assertEquals(PacketMeta.Kind.NONE, meta.kind());
        assertEquals(0, meta.lineage());
    }

    @Test
    void marksAreReadBack() {
        PacketMeta meta = PacketMeta.of(new BufferPool(256, 1).acquire());
        meta.markPeerData(-7);
        assertEquals(PacketMeta.Kind.PEER_DATA, meta.kind());
        assertEquals(-7, meta.lineage());
        meta.markLocal();
        assertEquals(PacketMeta.Kind.LOCAL, meta.kind());
        assertEquals(0, meta.lineage());
    }

    @Test
    void theMarksAreNotInTheBuffersBytes() {
        PacketBuffer b = new BufferPool(256, 1).acquire();
        PacketMeta.of(b).markPeerData(0x7F7F7F7F);
        for (int i = 0; i < b.capacity(); i++) {
            assertEquals(0, b.data().get(i), "byte " + i);
        }
    }

    @Test
    void clearingTheBufferKeepsItsMetadata() {
        PacketBuffer b = new BufferPool(256, 1).acquire();
        PacketMeta meta = PacketMeta.of(b);
        meta.markPeerData(3);
        b.span(32, 10).address(new InetSocketAddress("127.0.0.1", 1)).clear();
        assertSame(meta, PacketMeta.of(b));
        assertEquals(3, meta.lineage(), "marks belong to the pool's hand-out, not to clear()");
    }

    @Test
    void reuseResetsTheMarks() {
        BufferPool pool = new BufferPool(256, 1);
        PacketBuffer b = pool.acquire();
        PacketMeta meta = PacketMeta.of(b);
        meta.markPeerData(42);
        pool.release(b);
        PacketBuffer again = pool.acquire();
        assertSame(b, again);
        assertSame(meta, PacketMeta.of(again), "made once per buffer, not per packet");
        assertEquals(PacketMeta.Kind.NONE, meta.kind());
        assertEquals(0, meta.lineage());
        pool.release(again);
        pool.checkNoLeaks();
    }

    @Test
    void aBufferNotFromAPoolHasNone() {
        assertNull(PacketMeta.of(new PacketBuffer(256)));
    }
}
