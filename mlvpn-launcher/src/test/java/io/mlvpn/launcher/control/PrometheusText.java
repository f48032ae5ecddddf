package io.mlvpn.launcher.control;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (0.0.4) for tests: every line is a HELP, a TYPE
 * or a sample; a metric's TYPE comes before its samples and once only; label values are quoted and
 * escaped; values are numbers. Histograms: cumulative buckets, {@code +Inf} equal to {@code _count}.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? "
                    + "(NaN|[+-]Inf|[-+]?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Sample key ({@code name{a="b",c="d"}} with labels as written) to value. */
    final Map<String, Double> samples = new LinkedHashMap<>();
    /** Metric family to type. */
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        Set<String> helped = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                if (n != text.split("\n", -1).length) {
                    throw new IllegalArgumentException("line " + n + ": empty line");
                }
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String name = line.substring(7).split(" ", 2)[0];
                check(NAME.matcher(name).matches() && helped.add(name), n, line);
            } else if (line.startsWith("# TYPE ")) {
                String[] w = line.substring(7).split(" ");
                check(w.length == 2 && NAME.matcher(w[0]).matches() && !p.types.containsKey(w[0])
                        && Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(w[1]), n, line);
                p.types.put(w[0], w[1]);
            } else {
                Matcher m = SAMPLE.matcher(line);
                check(m.matches(), n, line);
                String family = family(m.group(1), p.types);
                check(family != null, n, "sample before its TYPE: " + line);
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        check(!l.group(1).startsWith("__"), n, line);
                    }
                }
                String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
                check(p.samples.put(key, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))) == null, n,
                        "duplicate sample: " + line);
            }
        }
        return p;
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return null;
    }

    private static void check(boolean ok, int line, String text) {
        if (!ok) {
            throw new IllegalArgumentException("line " + line + ": " + text);
        }
    }

    /** The value of one sample, by its key as written. */
    double value(String key) {
        Double v = samples.get(key);
        if (v == null) {
            throw new AssertionError("no sample " + key + " in " + samples.keySet());
        }
        return v;
    }
}
