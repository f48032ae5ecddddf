package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.Clock;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.api.packet.InternetChecksum;
import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.core.scheduler.Schedulers;
import io.mlvpn.core.testing.InnerPackets;
import io.mlvpn.core.testing.TunnelPair;
import org.junit.jupiter.api.Test;

/** A packet an engine bug costs is counted as an internal error, not as a full queue. */
class TunnelInternalErrorCountTest {
    private static final int PACKETS = 20;

    @Test
    void packetsLostToAnInternalErrorAreNotReportedAsQueueFull() throws Exception {
        BreakingScheduler scheduler = new BreakingScheduler();
        try (TunnelPair pair = TunnelPair.start(1, b -> b, b -> b, Clock.SYSTEM, d -> d, d -> d, t -> t,
                t -> t.scheduler(() -> scheduler))) {
            pair.awaitAllUp(5_000);
            long before = pair.client.stats().devicePacketsIn();
            scheduler.broken = true;
            for (int i = 0; i < PACKETS; i++) {
                pair.clientDevice.inject(InnerPackets.build(false, InternetChecksum.PROTOCOL_UDP, 200, i));
            }
            TunnelPair.await(() -> pair.client.stats().devicePacketsIn() >= before + PACKETS, 5_000,
                    "the client read the packets");

            TunnelStats s = pair.client.stats();
            assertEquals(0, s.dropsQueueFull(), "queue_full drops after " + PACKETS + " scheduler failures");
            assertEquals(PACKETS, s.internalErrors(), "internal errors counted");
        }
    }

    /** The configured scheduler, throwing on every select once {@link #broken}: an engine bug on call. */
    private static final class BreakingScheduler implements Scheduler {
        private final Scheduler real = Schedulers.create("adaptive", 1);
        volatile boolean broken;

        @Override
        public String name() {
            return "breaking";
        }

        @Override
        public void linksChanged(LinkSet links) {
            real.linksChanged(links);
        }

        @Override
        public int select(LinkSet links, int packetBytes, int[] targets) {
            if (broken) {
                throw new IllegalStateException("scheduler bug (test)");
            }
            return real.select(links, packetBytes, targets);
        }
    }
}
