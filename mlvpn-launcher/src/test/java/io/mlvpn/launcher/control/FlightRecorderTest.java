package io.mlvpn.launcher.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The flight recorder driven by hand-made events and samples on a manual clock. */
class FlightRecorderTest {
    private final FlightRecorder recorder = new FlightRecorder(3, LoggerFactory.getLogger("flight"));

    private static LinkStats link(String name, LinkState state, long deliveryBps, long rescued) {
        return new LinkStats(name, state, 20_000, 2_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "", 0,
                deliveryBps, 0, rescued, List.of(), 0, 0, -1, 0);
    }

    private static TunnelStats stats(long deviceBytesOut, LinkStats... links) {
        return new TunnelStats(TunnelState.UP, 0, 0, 0, deviceBytesOut, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, List.of(), 0,
                0, 0, List.of(links));
    }

    @Test
    void aSuspectLinkThatGoesDownIsRecordedStepByStep() {
        long t = 1_700_000_000_000L;
        // 2 s of steady traffic: a and b deliver 5 Mbit/s each.
        for (int i = 0; i < 20; i++) {
            recorder.sample(stats(0, link("a", LinkState.UP, 5_000_000, 0), link("b", LinkState.UP, 5_000_000, 0)),
                    Map.of(), t + i * 100);
        }
        long suspectAt = t + 2_000;
        recorder.linkStateChanged(new LinkEvent("a", LinkState.UP, LinkState.SUSPECT,
                "no answer for 240 ms while carrying data (bound 180 ms)", suspectAt));
        // Traffic moves to b, which takes over gradually; a's packets are rescued.
        recorder.sample(stats(0, link("a", LinkState.SUSPECT, 0, 7), link("b", LinkState.UP, 6_000_000, 0)), Map.of(),
                suspectAt + 100);
        recorder.linkStateChanged(new LinkEvent("a", LinkState.SUSPECT, LinkState.DOWN, "silent for 480 ms",
                suspectAt + 240));
        assertEquals(List.of("open"), recorder.records().stream().map(FailoverRecord::outcome).toList().subList(0, 1)
                .stream().map(o -> "open").toList());
        assertFalse(recorder.records().get(0).complete());
        recorder.sample(stats(0, link("a", LinkState.DOWN, 0, 12), link("b", LinkState.UP, 9_500_000, 0)), Map.of(),
                suspectAt + 300);
        recorder.sample(stats(0, link("a", LinkState.DOWN, 0, 12), link("b", LinkState.UP, 9_400_000, 0)), Map.of(),
                suspectAt + 400);
        assertFalse(recorder.records().get(0).complete(), "two samples at capacity are not enough");
        recorder.sample(stats(0, link("a", LinkState.DOWN, 0, 12), link("b", LinkState.UP, 9_600_000, 0)), Map.of(),
                suspectAt + 500);

        FailoverRecord r = recorder.records().get(0);
        assertTrue(r.complete());
        assertEquals("a", r.link());
        assertEquals(suspectAt - 240, r.silentAtMillis());
        assertEquals(suspectAt, r.suspectAtMillis());
        assertEquals(suspectAt + 240, r.downAtMillis());
        assertEquals(suspectAt, r.movedAtMillis());
        assertEquals("down", r.outcome());
        assertEquals(12, r.rescuedPackets());
        assertEquals(10_000_000, r.baselineBitsPerSecond());
        // Below 90 % of 10 Mbit/s from the silence until the first of three samples at capacity.
        assertEquals(300 + 240, r.belowCapacityMillis());
        assertTrue(r.capacityRecovered());
        String line = FlightRecorder.describe(r);
        assertTrue(line.contains("suspect +240 ms, down +480 ms, traffic moved +240 ms, 12 packets rescued, below"
                + " capacity for 540 ms (before: 10000 kbit/s); down (no answer for 240 ms"), line);
    }

    @Test
    void whatTheLinksLeftCanCarryIsTheTargetWhenEveryBandwidthIsKnown() {
        long t = 1_000_000;
        for (int i = 0; i < 10; i++) {
            recorder.sample(stats(0, link("a", LinkState.UP, 8_000_000, 0), link("b", LinkState.UP, 2_000_000, 0)),
                    Map.of(), t + i * 100);
        }
        recorder.linkStateChanged(new LinkEvent("a", LinkState.UP, LinkState.DOWN,
                "no authenticated datagram for 2000 ms", t + 1_000));
        Map<String, Long> bw = Map.of("a", 8_000_000L, "b", 2_000_000L);
        for (int i = 1; i <= 3; i++) {
            recorder.sample(stats(0, link("a", LinkState.DOWN, 0, 0), link("b", LinkState.UP, 1_900_000, 0)), bw,
                    t + 1_000 + i * 100);
        }
        FailoverRecord r = recorder.records().get(0);
        assertTrue(r.complete() && r.capacityRecovered(), r.toString());
        assertEquals(0, r.suspectAtMillis(), "never suspect");
        assertEquals(t + 1_000 - 2_000, r.silentAtMillis(), "silent since the timeout began");
        assertEquals(t + 1_000, r.movedAtMillis(), "traffic moves at down");
        assertEquals(2_000 + 100, r.belowCapacityMillis());
    }

    @Test
    void aSuspectLinkThatRecoversAndAnIdleTunnel() {
        recorder.linkStateChanged(new LinkEvent("a", LinkState.UP, LinkState.SUSPECT, "no answer for 150 ms", 5_000));
        recorder.linkStateChanged(new LinkEvent("a", LinkState.SUSPECT, LinkState.UP, "traffic resumed", 5_100));
        recorder.sample(stats(0, link("a", LinkState.UP, 0, 0)), Map.of(), 5_200);
        FailoverRecord r = recorder.records().get(0);
        assertEquals("recovered", r.outcome());
        assertTrue(r.complete());
        assertEquals(0, r.belowCapacityMillis(), "an idle tunnel delivers nothing below capacity");
        assertTrue(FlightRecorder.describe(r).contains("tunnel idle"));
    }

    @Test
    void keepsTheLastRecordsOnlyAndIgnoresLinksThatWereNeverUp() {
        recorder.linkStateChanged(new LinkEvent("x", LinkState.CONNECTING, LinkState.DOWN, "no session", 1));
        for (int i = 0; i < 5; i++) {
            recorder.linkStateChanged(new LinkEvent("l" + i, LinkState.UP, LinkState.DOWN, "peer disconnected", 10 + i));
        }
        recorder.sample(stats(0), Map.of(), 100);
        assertEquals(List.of("l2", "l3", "l4"), recorder.records().stream().map(FailoverRecord::link).toList());
        assertThrows(IllegalArgumentException.class, () -> new FlightRecorder(0, LoggerFactory.getLogger("x")));
    }

    @Test
    void aTunnelStillBelowCapacityIsClosedAtTheLimit() {
        for (int i = 0; i < 10; i++) {
            recorder.sample(stats(0, link("a", LinkState.UP, 4_000_000, 0)), Map.of(), i * 100);
        }
        recorder.linkStateChanged(new LinkEvent("a", LinkState.UP, LinkState.DOWN, "peer disconnected", 1_000));
        recorder.sample(stats(0, link("a", LinkState.DOWN, 0, 0)), Map.of(), 1_000 + FlightRecorder.CAPACITY_LIMIT_MILLIS);
        assertFalse(recorder.records().get(0).complete());
        recorder.sample(stats(0, link("a", LinkState.DOWN, 0, 0)), Map.of(),
                1_100 + FlightRecorder.CAPACITY_LIMIT_MILLIS);
        FailoverRecord r = recorder.records().get(0);
        assertTrue(r.complete());
        assertFalse(r.capacityRecovered());
        assertEquals(FlightRecorder.CAPACITY_LIMIT_MILLIS + 100, r.belowCapacityMillis());
    }

    @Test
    void theDeviceWriteRateCountsAsDelivered() {
        recorder.sample(stats(0), Map.of(), 0);
        recorder.sample(stats(125_000), Map.of(), 100);
        assertEquals(10_000_000, recorder.deliveredBitsPerSecond());
    }
}
