package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Clock;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.core.buffer.BufferPool;
import io.mlvpn.core.metrics.LinkCounters;
import io.mlvpn.core.metrics.TunnelCounters;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Every counter the engine keeps reaches the statistics snapshot: each field of
 * {@link TunnelCounters}, found by reflection, is bumped alone and the snapshot must change (the
 * link package's {@code LinkCounterExportTest} does the same for {@link LinkCounters}). A counter
 * added without its snapshot component fails here; the launcher's {@code CounterExportTest}
 * carries on from the snapshot to the status JSON and the metrics.
 */
class CounterExportTest {
    private static final long BUMP = 3_000_000L;

    @Test
    void everyTunnelCounterReachesTunnelStats() throws Exception {
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Field f : counterFields(TunnelCounters.class)) {
            TunnelCounters c = new TunnelCounters();
            TunnelStats before = snapshot(c);
            bump(f, c);
            if (snapshot(c).equals(before)) {
                missing.add(f.getName());
            }
            checked.add(f.getName());
        }
        assertTrue(checked.size() >= 19, "counter fields found: " + checked);
        assertEquals(List.of(), missing, "TunnelCounters fields that TunnelStats does not show");
    }

    private static TunnelStats snapshot(TunnelCounters c) {
        return c.snapshot(TunnelState.UP, List.of(), new BufferPool(64, 1));
    }

    private static List<Field> counterFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }

    /** Adds {@link #BUMP} to the counter in {@code f} (to every bucket of a histogram). */
    private static void bump(Field f, Object owner) throws IllegalAccessException {
        Object v = f.get(owner);
        if (f.getType() == long.class) {
            f.setLong(owner, f.getLong(owner) + BUMP);
        } else if (v instanceof AtomicLong a) {
            a.addAndGet(BUMP);
        } else if (v instanceof LongAdder a) {
            a.add(BUMP);
        } else if (v instanceof AtomicLongArray a) {
            for (int i = 0; i < a.length(); i++) {
                a.addAndGet(i, BUMP);
            }
        } else {
            throw new AssertionError("a counter field of a type this test does not know: " + f);
        }
    }
}
