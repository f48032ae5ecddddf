package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.buffer.PacketMeta;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.link.LinkArray;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.TimerSide;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.core.wire.Header;
import io.mlvpn.testkit.ManualClock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The device writer during the grace time after a non-rekey handshake, when packets of the old
 * session (an older lineage) still arrive between those of the new one: whatever the interleaving,
 * nothing is written twice and the new lineage's data is written in order.
 */
class LineageFlipTest {

    /** A device writer on its own thread, fed directly through the hand-off ring. */
    private static final class Writer implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final MemoryDevice device = new MemoryDevice("w0", DeviceType.TUN, 1500, 4096);
        final TunnelContext ctx;
        final Thread thread;

        Writer(int reorderPackets) throws Exception {
            TunnelConfig config = TunnelPair.base(Mode.SERVER, TunnelPair.key(1))
                    .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").bindPort(1).build()).build();
            TimerSide[] links = {LinkRuntime.create(0, config.links().get(0), 1_000_000_000L, clock)};
            ctx = new TunnelContext(config, LinkArray.of(links), clock, 1440, 1600, 2048, 1024);
            ctx.device = device;
            ctx.running = true;
            thread = new Thread(new DeviceWriterLoop(ctx, reorderPackets), "lineage-writer");
            ctx.writerThread = thread;
            thread.start();
        }

        /** Hands the writer data packet {@code seq} of {@code lineage}; its payload names both. */
        void receive(int lineage, long seq) {
            PacketBuffer b = ctx.pool.acquire();
            ByteBuffer d = b.data();
            d.put(Header.LINK_ID_OFFSET, (byte) 0);
            d.putShort(Header.STAMP_OFFSET, (short) 0);
            d.putInt(Header.WORD_OFFSET, (int) seq);
            PacketMeta.of(b).markPeerData(lineage);
            d.putInt(TunnelContext.HEADROOM, lineage);
            d.putLong(TunnelContext.HEADROOM + 4, seq);
            b.span(TunnelContext.HEADROOM, 12);
            if (!ctx.handToDevice(b)) {
                throw new AssertionError("ring full");
            }
        }

        /**
         * Hands the writer a packet the tunnel itself answers, named like a data packet of
         * {@code lineage} and {@code seq}, with the header copy of data packet {@code seq} left in
         * its headroom: the kind alone says it is not peer data.
         */
        void local(int lineage, long seq) {
            PacketBuffer b = ctx.pool.acquire();
            ByteBuffer d = b.data();
            d.put(Header.LINK_ID_OFFSET, (byte) 0);
            d.putShort(Header.STAMP_OFFSET, (short) 0);
            d.putInt(Header.WORD_OFFSET, (int) seq);
            PacketMeta.of(b).markLocal();
            d.putInt(TunnelContext.HEADROOM, lineage);
            d.putLong(TunnelContext.HEADROOM + 4, seq);
            b.span(TunnelContext.HEADROOM, 12);
            if (!ctx.handToDevice(b)) {
                throw new AssertionError("ring full");
            }
        }

        /** What the writer wrote, as "lineage:seq", in order, waiting for {@code count} packets at most. */
        List<String> written(int count) throws InterruptedException {
            List<String> out = new ArrayList<>();
            byte[] p = new byte[64];
            while (out.size() < count && device.poll(p, 300, TimeUnit.MILLISECONDS) > 0) {
                ByteBuffer w = ByteBuffer.wrap(p);
                out.add(w.getInt(0) + ":" + w.getLong(4));
            }
            return out;
        }

        long staleDrops() {
            return ctx.counters.dropsStaleLineage;
        }

        @Override
        public void close() {
            ctx.running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            device.close();
            ctx.pool.checkNoLeaks();
        }
    }

    /**
     * Old lineage 1 delivers 0..19; then the new lineage 2 continues the sender's numbering from
     * 20 while copies and stragglers of lineage 1 (10..19 again, which the rescue or a duplicate
     * path may send) arrive in between, one after every new packet.
     */
    @ParameterizedTest(name = "reorder buffer {0}")
    @ValueSource(ints = {0, 512})
    void interleavedLineagesDeliverNothingTwiceAndTheNewOneInOrder(int reorderPackets) throws Exception {
        try (Writer w = new Writer(reorderPackets)) {
            for (int s = 0; s < 20; s++) {
                w.receive(1, s);
            }
            for (int i = 0; i < 10; i++) {
                w.receive(2, 20 + i);
                w.receive(1, 10 + i);
            }
            List<String> written = w.written(1_000);
            Set<String> distinct = new HashSet<>(written);
            assertEquals(0, written.size() - distinct.size(), "packets written twice: " + written);
            long misordered = 0;
            long last = -1;
            for (String p : written) {
                long seq = Long.parseLong(p.substring(p.indexOf(':') + 1));
                if (seq < last) {
                    misordered++;
                }
                last = Math.max(last, seq);
            }
            assertEquals(0, misordered, "packets written after a later one: " + written);
            assertEquals(30, written.size(), "lineage 1's 20 and lineage 2's 10: " + written);
            assertEquals(10, w.staleDrops(), "every straggler of the old lineage counted");
        }
    }

    /**
     * The writer reads each packet's kind from its metadata: the tunnel's own packets bypass the
     * duplicate filter and leave the lineage alone, whatever their headroom holds.
     */
    @ParameterizedTest(name = "reorder buffer {0}")
    @ValueSource(ints = {0, 512})
    void theTunnelsOwnPacketsAreWrittenAsTheyCome(int reorderPackets) throws Exception {
        try (Writer w = new Writer(reorderPackets)) {
            w.receive(2, 0);
            w.local(9, 0);
            w.local(1, 0);
            w.receive(2, 1);
            w.receive(1, 2);
            assertEquals(List.of("2:0", "9:0", "1:0", "2:1"), w.written(5));
            await(() -> w.staleDrops() == 1, 2_000, "lineage 1's data still older than lineage 2's");
        }
    }

    /** A restarted peer numbers its data from 0 again in its new lineage: all of it is written. */
    @Test
    void aNewLineageStartingOverIsWrittenWhole() throws Exception {
        try (Writer w = new Writer(512)) {
            for (int s = 100; s < 110; s++) {
                w.receive(1, s);
            }
            for (int s = 0; s < 10; s++) {
                w.receive(2, s);
            }
            w.receive(1, 110);
            assertEquals(20, w.written(1_000).size());
            await(() -> w.staleDrops() == 1, 2_000, "the old lineage's straggler dropped");
        }
    }
}
