package io.mlvpn.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Clock;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.core.metrics.LinkCounters;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every counter of {@link LinkCounters}, found by reflection, reaches the link's statistics
 * snapshot: each is bumped alone and {@link LinkRuntime#stats()} must change. Here rather than
 * with the tunnel counters' {@code CounterExportTest} because only the link package reaches a
 * link's counters.
 */
class LinkCounterExportTest {
    private static final long BUMP = 3_000_000L;

    @Test
    void everyLinkCounterReachesLinkStats() throws Exception {
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Field f : LinkCounters.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            LinkRuntime link = LinkRuntime.create(0, LinkConfig.builder("l0").build(), 1_000_000_000L,
                    Clock.SYSTEM).link();
            var before = link.stats();
            Object counter = f.get(link.counters());
            if (!(counter instanceof AtomicLong a)) {
                throw new AssertionError("a counter field of a type this test does not know: " + f);
            }
            a.addAndGet(BUMP);
            if (link.stats().equals(before)) {
                missing.add(f.getName());
            }
            checked.add(f.getName());
        }
        assertTrue(checked.size() >= 10, "counter fields found: " + checked);
        assertEquals(List.of(), missing, "LinkCounters fields that LinkStats does not show");
    }
}
