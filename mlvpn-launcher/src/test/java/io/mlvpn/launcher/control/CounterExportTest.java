package io.mlvpn.launcher.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every number in {@link TunnelStats} and {@link LinkStats}, found by reflection, shows in the
 * status JSON and in the metrics. Each record component gets a value no other has; the test then
 * looks for that value in each output, in the unit the output uses: as is, or for a duration
 * ({@code ...Micros}, {@code ...Millis}) in milliseconds (JSON) and seconds (metrics); a
 * histogram's buckets each in the JSON and their total in the metrics. A counter added to the
 * statistics and forgotten in either output fails here; core's {@code CounterExportTest} checks
 * that every engine counter reaches the statistics.
 */
class CounterExportTest {
    private long next = 1;

    @Test
    void everyStatisticIsInTheStatusJsonAndTheMetrics() throws Exception {
        LinkStats link = fill(LinkStats.class, Map.of("name", "l0", "peer", "192.0.2.1:5080"));
        TunnelStats stats = fill(TunnelStats.class, Map.of("links", List.of(link)));
        StatusView view = new StatusView("t", "1.0", 1, "tun0", 1400, 1400, 0, 0, config(), stats, List.of(), List.of(),
                StatusView.rttHistogramsOf(stats));
        String json = StatusJson.status(view);
        String metrics = MetricsText.write(view);

        List<String> missing = new ArrayList<>();
        check(stats, json, metrics, missing);
        check(link, json, metrics, missing);
        assertEquals(List.of(), missing, "statistics missing from the status JSON or the metrics\n" + json + "\n"
                + metrics);
    }

    private static void check(Record r, String json, String metrics, List<String> missing) throws Exception {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = c.getAccessor().invoke(r);
            String what = r.getClass().getSimpleName() + "." + c.getName();
            if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Long) {
                long total = 0;
                for (Object o : list) {
                    total += (Long) o;
                    if (!contains(json, jsonNumber((Long) o))) {
                        missing.add(what + " bucket " + o + " in the JSON");
                    }
                }
                if (!contains(metrics, MetricsText.number(total))) {
                    missing.add(what + " total " + total + " in the metrics");
                }
            } else if (v instanceof Number n) {
                double x = n.doubleValue();
                String name = c.getName();
                boolean micros = name.endsWith("Micros");
                boolean millis = name.endsWith("Millis");
                if (!contains(json, jsonNumber(x)) && !(micros && contains(json, jsonNumber(x / 1e3)))) {
                    missing.add(what + " = " + n + " in the JSON");
                }
                double seconds = micros ? x / 1e6 : millis ? x / 1e3 : x;
                if (!contains(metrics, MetricsText.number(seconds))) {
                    missing.add(what + " = " + n + " in the metrics");
                }
            }
        }
    }

    /** True when {@code number} stands alone in {@code text} (not part of a longer number). */
    private static boolean contains(String text, String number) {
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(number) + "(?![\\w.])").matcher(text).find();
    }

    private static String jsonNumber(double x) {
        return new JsonWriter().value(x).toString();
    }

    /** A record of {@code type} whose every number differs from every other this test made. */
    private <R extends Record> R fill(Class<R> type, Map<String, Object> given) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            args[i] = given.containsKey(c.getName()) ? given.get(c.getName()) : value(c);
        }
        return type.getDeclaredConstructor(types).newInstance(args);
    }

    private Object value(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == long.class) {
            return distinct();
        }
        if (t == int.class) {
            return (int) distinct();
        }
        if (t == double.class) {
            // A binary fraction, so every output writes it exactly.
            return (next++) / 1024.0;
        }
        if (t == String.class) {
            return "text" + next++;
        }
        if (t == LinkState.class) {
            return LinkState.UP;
        }
        if (t == TunnelState.class) {
            return TunnelState.UP;
        }
        if (t == List.class) {
            int buckets = c.getName().startsWith("rtt") ? LinkStats.RTT_BOUNDS_MICROS.size() + 1
                    : TunnelStats.REORDER_DELAY_BOUNDS_MICROS.size() + 1;
            List<Long> counts = new ArrayList<>();
            for (int i = 0; i < buckets; i++) {
                counts.add(distinct());
            }
            return counts;
        }
        throw new AssertionError("a statistic of a type this test does not know: " + c);
    }

    /** 1000007, 2000014, ...: distinct, and distinct again once divided by 10^3 or 10^6. */
    private long distinct() {
        long k = next++;
        return k * 1_000_007L;
    }

    private static TunnelConfig config() throws Exception {
        byte[] key = new byte[32];
        return TunnelConfig.builder().mode(Mode.SERVER).secret(PreSharedKey.of(key))
                .addLink(LinkConfig.builder("l0").bindPort(5080).build()).build();
    }
}
