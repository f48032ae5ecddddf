package io.mlvpn.core.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {

    @Test
    void startsEmpty() {
        RttEstimator rtt = new RttEstimator();
        assertFalse(rtt.hasSample());
        assertEquals(0, rtt.srttMicros());
        assertEquals(0, rtt.rttVarMicros());
        assertEquals(0, rtt.samples());
        assertEquals(RttEstimator.DEFAULT_MAX_RTT_MICROS, rtt.maxRttMicros());
    }

    @Test
    void followsRfc6298() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(100_000);
        assertTrue(rtt.hasSample());
        assertEquals(100_000, rtt.srttMicros());
        assertEquals(50_000, rtt.rttVarMicros());

        rtt.sample(200_000);
        // rttvar = 3/4 * 50 000 + 1/4 * |100 000 - 200 000|; srtt = 7/8 * 100 000 + 1/8 * 200 000
        assertEquals(62_500, rtt.rttVarMicros());
        assertEquals(112_500, rtt.srttMicros());

        rtt.sample(112_500);
        assertEquals(46_875, rtt.rttVarMicros());
        assertEquals(112_500, rtt.srttMicros());
        assertEquals(3, rtt.samples());
    }

    @Test
    void convergesOnASteadyRtt() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(100_000);
        for (int i = 0; i < 200; i++) {
            rtt.sample(40_000);
        }
        assertTrue(Math.abs(rtt.srttMicros() - 40_000) <= 8, "srtt " + rtt.srttMicros());
        assertTrue(rtt.rttVarMicros() <= 4, "rttvar " + rtt.rttVarMicros());
    }

    @Test
    void ignoresAndCountsImplausibleSamples() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(0);
        rtt.sample(-5);
        rtt.sample(5_000_001);
        assertFalse(rtt.hasSample());
        assertEquals(3, rtt.ignoredSamples());
        rtt.sample(5_000_000);
        assertEquals(5_000_000, rtt.srttMicros());
        rtt.sample(Long.MIN_VALUE);
        assertEquals(5_000_000, rtt.srttMicros());
        assertEquals(1, rtt.samples());
        assertEquals(4, rtt.ignoredSamples());
    }

    @Test
    void honoursAConfiguredMaximum() {
        RttEstimator rtt = new RttEstimator(1_000);
        rtt.sample(1_001);
        rtt.sample(1_000);
        assertEquals(1_000, rtt.srttMicros());
        assertEquals(1, rtt.ignoredSamples());
        assertEquals("maxRttMicros < 1: 0",
                assertThrows(IllegalArgumentException.class, () -> new RttEstimator(0)).getMessage());
    }

    @Test
    void resetStartsOver() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(100_000);
        rtt.sample(-1);
        rtt.reset();
        assertFalse(rtt.hasSample());
        assertEquals(0, rtt.srttMicros());
        assertEquals(0, rtt.rttVarMicros());
        assertEquals(0, rtt.ignoredSamples());
        rtt.sample(30_000);
        assertEquals(30_000, rtt.srttMicros());
        assertEquals(15_000, rtt.rttVarMicros());
    }

    @Test
    void everyAcceptedSampleLandsInOneHistogramBucket() {
        RttEstimator e = new RttEstimator();
        e.sample(800);        // <= 1 ms
        e.sample(1_000);      // <= 1 ms (bounds are inclusive)
        e.sample(30_000);     // <= 50 ms
        e.sample(6_000_000);  // above the default maximum: ignored, not counted
        e.sample(4_999_999);  // <= 5 s
        assertEquals(2, e.histogramCount(0));
        assertEquals(1, e.histogramCount(5));
        assertEquals(1, e.histogramCount(RttEstimator.HISTOGRAM_BOUNDS_MICROS.length - 1));
        assertEquals(0, e.histogramCount(RttEstimator.HISTOGRAM_BOUNDS_MICROS.length));
        assertEquals(800 + 1_000 + 30_000 + 4_999_999, e.sampleSumMicros());
        e.reset();
        assertEquals(2, e.histogramCount(0), "the histogram is cumulative since start, like a counter");
    }

    @Test
    void minRttIsZeroBeforeTheFirstSample() {
        RttEstimator rtt = new RttEstimator();
        assertEquals(0, rtt.minRttMicros());
        rtt.sample(0);
        rtt.sample(RttEstimator.DEFAULT_MAX_RTT_MICROS + 1);
        assertEquals(0, rtt.minRttMicros(), "ignored samples are no minimum");
    }

    @Test
    void minRttTracksTheSmallestSample() {
        // All samples fall well within one 5 s window: the window's expiry is not tested here,
        // as it follows System.nanoTime and would need waiting.
        RttEstimator rtt = new RttEstimator();
        rtt.sample(30_000);
        assertEquals(30_000, rtt.minRttMicros());
        rtt.sample(20_000);
        assertEquals(20_000, rtt.minRttMicros());
        rtt.sample(25_000);
        rtt.sample(90_000);
        assertEquals(20_000, rtt.minRttMicros());
        rtt.sample(-1);
        assertEquals(20_000, rtt.minRttMicros(), "an ignored sample does not lower it");
        rtt.sample(19_999);
        assertEquals(19_999, rtt.minRttMicros());
        assertTrue(rtt.minRttMicros() < rtt.srttMicros(), "srtt " + rtt.srttMicros());
    }

    @Test
    void minRttIsForgottenOnReset() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(10_000);
        rtt.sample(40_000);
        rtt.reset();
        assertEquals(0, rtt.minRttMicros());
        // The new session's path is slower: the old minimum must not linger.
        rtt.sample(50_000);
        assertEquals(50_000, rtt.minRttMicros());
        rtt.sample(60_000);
        assertEquals(50_000, rtt.minRttMicros());
    }
}
