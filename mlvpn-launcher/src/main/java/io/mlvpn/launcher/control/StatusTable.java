package io.mlvpn.launcher.control;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders status JSON (as read back by {@link JsonParser}) as text tables. Stateless. */
final class StatusTable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter TIME_MS = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private StatusTable() {
    }

    static String status(Map<String, Object> s) {
        StringBuilder sb = new StringBuilder();
        sb.append("tunnel ").append(s.get("state")).append(" · ").append(s.get("mode")).append(" · ")
                .append(s.get("cipher")).append(" · device ").append(s.get("device")).append(" (mtu ")
                .append(s.get("mtu")).append(") · up ").append(duration(num(s, "uptime_seconds"))).append(" · ")
                .append(s.get("name")).append(" (mlvpn-java ").append(s.get("version")).append(", pid ")
                .append(s.get("pid")).append(")\n");
        sb.append(links(s));
        List<Map<String, Object>> failovers = list(s.get("failovers"));
        if (!failovers.isEmpty()) {
            sb.append("\nfailovers (latest last):\n");
            for (Map<String, Object> f : failovers) {
                sb.append("  ").append(f.get("link")).append(": silent at ")
                        .append(TIME_MS.format(Instant.ofEpochMilli(num(f, "silent_epoch_ms"))));
                if (num(f, "suspect_after_ms") >= 0) {
                    sb.append(", suspect +").append(num(f, "suspect_after_ms")).append(" ms");
                }
                if (num(f, "down_after_ms") >= 0) {
                    sb.append(", down +").append(num(f, "down_after_ms")).append(" ms");
                }
                sb.append(", traffic moved +").append(num(f, "moved_after_ms")).append(" ms, ")
                        .append(num(f, "rescued_packets")).append(" rescued, ");
                if (!Boolean.TRUE.equals(f.get("complete"))) {
                    sb.append("measuring");
                } else if (num(f, "baseline_bps") < FlightRecorder.IDLE_BITS_PER_SECOND) {
                    sb.append("tunnel idle");
                } else {
                    sb.append(Boolean.TRUE.equals(f.get("capacity_recovered")) ? "below capacity " : "below capacity > ")
                            .append(num(f, "below_capacity_ms")).append(" ms");
                }
                sb.append(" (").append(f.get("outcome")).append(": ").append(f.get("reason")).append(")\n");
            }
        }
        return sb.toString();
    }

    static String links(Map<String, Object> s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"LINK", "STATE", "RTT", "LOSS", "TX", "RX", "DELIVERED", "SINCE", "REASON"});
        for (Map<String, Object> l : list(s.get("links"))) {
            long since = num(l, "state_changed_epoch_ms");
            rows.add(new String[] {
                String.valueOf(l.get("name")),
                Boolean.TRUE.equals(l.get("admin_down")) ? "down (admin)" : String.valueOf(l.get("state")),
                String.format(Locale.ROOT, "%.1f ms", dbl(l, "srtt_ms")),
                String.format(Locale.ROOT, "%.1f%%", dbl(l, "loss_ratio") * 100),
                rate(num(l, "tx_rate_bps")),
                rate(num(l, "rx_rate_bps")),
                rate(num(l, "delivery_rate_bps")),
                since == 0 ? "-" : TIME.format(Instant.ofEpochMilli(since)),
                String.valueOf(l.get("reason"))});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String rate(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", bitsPerSecond / 1e6);
        }
        if (bitsPerSecond >= 1_000) {
            return String.format(Locale.ROOT, "%.1f kbit/s", bitsPerSecond / 1e3);
        }
        return bitsPerSecond + " bit/s";
    }

    static String duration(long seconds) {
        long d = seconds / 86_400;
        long h = seconds / 3600 % 24;
        long m = seconds / 60 % 60;
        return (d > 0 ? d + "d " : "") + (d > 0 || h > 0 ? h + "h " : "") + m + "m " + seconds % 60 + "s";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o instanceof List ? (List<Map<String, Object>>) o : List.of();
    }

    private static long num(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }

    private static double dbl(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o instanceof Number ? ((Number) o).doubleValue() : 0;
    }
}
