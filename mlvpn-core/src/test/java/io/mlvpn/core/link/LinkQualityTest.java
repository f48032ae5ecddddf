package io.mlvpn.core.link;

import static io.mlvpn.core.link.LinkQuality.CONGESTION_MEMORY_NANOS;
import static io.mlvpn.core.link.LinkQuality.MIN_HOLD_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkState;
import org.junit.jupiter.api.Test;

/**
 * Loss versus congestion in {@link LinkQuality#decide}, driven by explicit times: a link that loses
 * while its round trip stands at its minimum is faulty and goes LOSSY; one that loses while it
 * queues (srtt well above the minimum) is congested by our own sending and stays UP.
 */
class LinkQualityTest {
    private static final long MS = 1_000_000L;
    private static final long STEP = 10 * MS;
    private static final int LOSS_TOLERANCE_PERCENT = 5;
    private static final double LOSS = 0.10;
    private static final long MIN_RTT_MICROS = 20_000;
    /** Near the minimum: no queue. */
    private static final long IDLE_SRTT_MICROS = 21_000;
    /** 40 ms above a 20 ms minimum: well above both the 5 ms floor and half the minimum. */
    private static final long QUEUEING_SRTT_MICROS = 60_000;

    private final LinkQuality quality = new LinkQuality();
    private LinkState state = LinkState.UP;

    private LinkState decide(long nowNanos, long srttMicros, double lossRatio) {
        state = quality.decide(state, nowNanos, MS, 0, srttMicros, 1_000, MIN_RTT_MICROS, 100, lossRatio,
                LOSS_TOLERANCE_PERCENT, 0);
        return state;
    }

    /** Decides every {@link #STEP} from {@code fromNanos} while UP; returns when it left UP (or -1 at {@code toNanos}). */
    private long firstChange(long fromNanos, long toNanos, long srttMicros) {
        for (long t = fromNanos; t <= toNanos; t += STEP) {
            if (decide(t, srttMicros, LOSS) != LinkState.UP) {
                return t;
            }
        }
        return -1;
    }

    /** The hold for these round trips: the larger of the minimum hold and 4 srtt. */
    private static long hold(long srttMicros) {
        return Math.max(MIN_HOLD_NANOS, 4 * srttMicros * 1_000L);
    }

    @Test
    void lossWithoutQueueingTurnsTheLinkLossyAfterTheHold() {
        long t0 = 5_000 * MS;
        long changed = firstChange(t0, t0 + 2_000 * MS, IDLE_SRTT_MICROS);
        assertEquals(LinkState.LOSSY, state, quality.reason());
        assertTrue(changed >= t0 + hold(IDLE_SRTT_MICROS), "not before the hold: " + (changed - t0) / MS + " ms");
        assertTrue(changed <= t0 + hold(IDLE_SRTT_MICROS) + STEP, "right after it: " + (changed - t0) / MS + " ms");
        assertTrue(quality.reason().contains("loss"), quality.reason());
    }

    @Test
    void lossWhileQueueingIsCongestionAndKeepsTheLinkUp() {
        long t0 = 5_000 * MS;
        assertEquals(-1, firstChange(t0, t0 + 3_000 * MS, QUEUEING_SRTT_MICROS));
        assertEquals(LinkState.UP, state);
    }

    @Test
    void lossStaysCongestionForTheMemoryAfterTheQueueingEndsThenTurnsLossy() {
        long t0 = 5_000 * MS;
        long lastQueueing = t0 + 1_000 * MS;
        assertEquals(-1, firstChange(t0, lastQueueing, QUEUEING_SRTT_MICROS));
        // The queue drained, the loss goes on: still taken as congestion for the memory time.
        long congestedUntil = lastQueueing + CONGESTION_MEMORY_NANOS;
        assertEquals(-1, firstChange(lastQueueing + STEP, congestedUntil - 1, IDLE_SRTT_MICROS),
                "UP while the congestion is remembered");
        long changed = firstChange(congestedUntil, congestedUntil + 2_000 * MS, IDLE_SRTT_MICROS);
        assertEquals(LinkState.LOSSY, state, quality.reason());
        long expected = congestedUntil + hold(IDLE_SRTT_MICROS);
        assertTrue(changed >= expected && changed <= expected + STEP, "lossy "
                + (changed - congestedUntil) / MS + " ms after the memory ran out, expected the "
                + hold(IDLE_SRTT_MICROS) / MS + " ms hold");
    }

    @Test
    void queueingDoesNotKeepALossyLinkFromRecovering() {
        long t0 = 5_000 * MS;
        firstChange(t0, t0 + 2_000 * MS, IDLE_SRTT_MICROS);
        assertEquals(LinkState.LOSSY, state);
        // Loss back under half the tolerance while the link queues: it leaves LOSSY after the hold.
        long start = t0 + 3_000 * MS;
        long back = -1;
        for (long t = start; t <= start + 2_000 * MS; t += STEP) {
            if (decide(t, QUEUEING_SRTT_MICROS, 0.0) == LinkState.UP) {
                back = t;
                break;
            }
        }
        assertTrue(back >= start + hold(QUEUEING_SRTT_MICROS), "back UP after the hold: " + (back - start) / MS
                + " ms");
    }

    @Test
    void withoutAMinimumRttLossIsNeverTakenAsCongestion() {
        long t0 = 5_000 * MS;
        LinkState s = LinkState.UP;
        long changed = -1;
        for (long t = t0; t <= t0 + 2_000 * MS; t += STEP) {
            s = quality.decide(s, t, MS, 0, QUEUEING_SRTT_MICROS, 1_000, 0, 100, LOSS, LOSS_TOLERANCE_PERCENT, 0);
            if (s != LinkState.UP) {
                changed = t;
                break;
            }
        }
        assertEquals(LinkState.LOSSY, s);
        assertEquals(t0 + hold(QUEUEING_SRTT_MICROS), changed);
    }

    @Test
    void aSuspectLinkResumesOnAnAcknowledgementNotOnThePeersOwnTraffic() {
        long t0 = 5_000 * MS;
        // Heard 1 ms ago but nothing of ours acknowledged for 300 ms: its sends fail.
        LinkState s = quality.decide(LinkState.SUSPECT, t0, 300 * MS, 300 * MS, IDLE_SRTT_MICROS, 1_000,
                MIN_RTT_MICROS, 100, 0.0, LOSS_TOLERANCE_PERCENT, 0);
        assertEquals(LinkState.SUSPECT, s);
        s = quality.decide(LinkState.SUSPECT, t0 + STEP, 5 * MS, 0, IDLE_SRTT_MICROS, 1_000, MIN_RTT_MICROS, 100,
                0.0, LOSS_TOLERANCE_PERCENT, 0);
        assertEquals(LinkState.UP, s, "acknowledged 5 ms ago");
    }

    @Test
    void probationWaitsForAnAcknowledgementNotOnlyForRoundTrips() {
        long t0 = 5_000 * MS;
        quality.startProbation(t0, 100);
        // Plenty of round-trip samples (the peer echoes our last stamp however old), but the last
        // acknowledgement is from before probation began.
        long t = t0 + 200 * MS;
        LinkState s = quality.decide(LinkState.PROBATION, t, 250 * MS, 0, IDLE_SRTT_MICROS, 1_000, MIN_RTT_MICROS,
                120, 0.0, LOSS_TOLERANCE_PERCENT, 0);
        assertEquals(LinkState.PROBATION, s);
        s = quality.decide(LinkState.PROBATION, t, Long.MAX_VALUE, 0, IDLE_SRTT_MICROS, 1_000, MIN_RTT_MICROS,
                120, 0.0, LOSS_TOLERANCE_PERCENT, 0);
        assertEquals(LinkState.PROBATION, s, "never acknowledged");
        s = quality.decide(LinkState.PROBATION, t, 10 * MS, 0, IDLE_SRTT_MICROS, 1_000, MIN_RTT_MICROS, 120, 0.0,
                LOSS_TOLERANCE_PERCENT, 0);
        assertEquals(LinkState.UP, s, quality.reason());
    }
}
