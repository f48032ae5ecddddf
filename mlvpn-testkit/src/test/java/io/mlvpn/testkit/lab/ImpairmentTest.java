package io.mlvpn.testkit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImpairmentTest {

    @Test
    void defaultsPassEverything() {
        Impairment none = Impairment.builder().build();
        assertEquals(Impairment.NONE, none);
        assertTrue(none.isPassThrough());
        assertEquals(0, none.rateBitsPerSecond());
        assertEquals(Impairment.DEFAULT_QUEUE_BYTES, none.queueBytes());
        assertEquals(Duration.ZERO, none.delay());
        assertEquals(Duration.ZERO, none.jitter());
        assertEquals(0.0, none.lossProbability());
    }

    @Test
    void eachSettingMakesItImpairing() {
        assertFalse(Impairment.builder().rateBitsPerSecond(1).build().isPassThrough());
        assertFalse(Impairment.builder().delay(Duration.ofNanos(1)).build().isPassThrough());
        assertFalse(Impairment.builder().jitter(Duration.ofNanos(1)).build().isPassThrough());
        assertFalse(Impairment.builder().lossProbability(0.001).build().isPassThrough());
        assertTrue(Impairment.builder().queueBytes(10).build().isPassThrough(), "a queue alone limits nothing");
    }

    @Test
    void newBuilderKeepsEveryValue() {
        Impairment a = Impairment.builder().rateBitsPerSecond(20_000_000).queueBytes(1000)
                .delay(Duration.ofMillis(30)).jitter(Duration.ofMillis(5)).lossProbability(0.25).build();
        Impairment b = a.newBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.toString(), b.toString());
        assertNotEquals(a, a.newBuilder().lossProbability(0.5).build());
        assertEquals(Duration.ofMillis(25), a.newBuilder().delay(Duration.ofMillis(25)).build().delay());
    }

    @Test
    void minimumDelayIsDelayLessJitterButNeverNegative() {
        assertEquals(20_000_000L, Impairment.builder().delay(Duration.ofMillis(30)).jitter(Duration.ofMillis(10))
                .build().minimumDelayNanos());
        assertEquals(0L, Impairment.builder().delay(Duration.ofMillis(3)).jitter(Duration.ofMillis(10))
                .build().minimumDelayNanos());
    }

    @Test
    void rejectsBadValuesQuotingThem() {
        Impairment.Builder b = Impairment.builder();
        assertEquals("rateBitsPerSecond < 0: -1",
                assertThrows(IllegalArgumentException.class, () -> b.rateBitsPerSecond(-1)).getMessage());
        assertEquals("queueBytes < 1: 0",
                assertThrows(IllegalArgumentException.class, () -> b.queueBytes(0)).getMessage());
        assertEquals("delay < 0: PT-0.001S",
                assertThrows(IllegalArgumentException.class, () -> b.delay(Duration.ofMillis(-1))).getMessage());
        assertEquals("jitter > PT1M: PT1M0.001S",
                assertThrows(IllegalArgumentException.class, () -> b.jitter(Duration.ofMillis(60_001))).getMessage());
        assertEquals("lossProbability not in [0, 1]: 1.5",
                assertThrows(IllegalArgumentException.class, () -> b.lossProbability(1.5)).getMessage());
        assertEquals("lossProbability not in [0, 1]: NaN",
                assertThrows(IllegalArgumentException.class, () -> b.lossProbability(Double.NaN)).getMessage());
        assertThrows(NullPointerException.class, () -> b.delay(null));
        assertEquals(Impairment.NONE, b.build(), "rejected values leave the builder unchanged");
    }
}
