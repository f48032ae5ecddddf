package io.mlvpn.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.Clock;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A link's send counters show what its transport accepted, not what was queued. */
class LinkSendQueueTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void partlyAcceptedBatchCountsOnlyTheAcceptedDatagrams() throws Exception {
        LinkRuntime link = link(new AcceptingTransport(1));
        LinkSendQueue q = queued(100, 200, 300);

        q.flush(link.send(), 0);

        assertEquals(1, link.stats().txPackets(), "datagrams sent when the transport accepted 1 of 3");
        assertEquals(100, link.stats().txBytes(), "bytes sent: the first accepted datagram's");
        assertEquals(2, link.stats().txRefused(), "datagrams refused");
    }

    @Test
    void wholeBatchAcceptedCountsEveryDatagram() throws Exception {
        LinkRuntime link = link(new AcceptingTransport(Integer.MAX_VALUE));
        LinkSendQueue q = queued(100, 200, 300);

        q.flush(link.send(), 0);

        assertEquals(3, link.stats().txPackets());
        assertEquals(600, link.stats().txBytes());
        assertEquals(0, link.stats().txRefused());
    }

    @Test
    void brokenSocketCountsTheBatchRefusedAndReportsTheFailure() throws Exception {
        LinkRuntime link = link(new AcceptingTransport(-1));
        LinkSendQueue q = queued(100, 200);

        q.flush(link.send(), 0);

        assertEquals(0, link.stats().txPackets());
        assertEquals(2, link.stats().txRefused());
        assertEquals("java.io.IOException: socket broken (test)", link.timer().takeSocketFailure());
    }

    /** Queues one datagram of each length for the peer. */
    private static LinkSendQueue queued(int... lengths) {
        LinkSendQueue q = new LinkSendQueue(8, 2048);
        for (int len : lengths) {
            q.next().span(0, len).address(PEER);
            q.commit(null);
        }
        return q;
    }

    private static LinkRuntime link(DatagramTransport t) throws Exception {
        TimerSide timer = LinkRuntime.create(0, LinkConfig.builder("l0").build(), 1_000_000_000L, Clock.SYSTEM);
        timer.opened(t, null, 0, (side, transport) -> { });
        return timer.link();
    }

    /** A transport that accepts only the first {@code accepts} datagrams of each batch; -1: its socket is broken. */
    private static final class AcceptingTransport implements DatagramTransport {
        private final int accepts;

        AcceptingTransport(int accepts) {
            this.accepts = accepts;
        }

        @Override
        public InetSocketAddress localAddress() {
            return PEER;
        }

        @Override
        public int receive(PacketBatch batch) {
            return -1;
        }

        @Override
        public int send(PacketBatch batch) throws IOException {
            if (accepts < 0) {
                throw new IOException("socket broken (test)");
            }
            return Math.min(accepts, batch.size());
        }

        @Override
        public long sendErrors() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
