package io.mlvpn.launcher.control;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelStats;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.TunnelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one status or metrics answer shows, taken at one moment. Instances are immutable.
 *
 * @param name the instance name ({@code --name})
 * @param version the launcher's version
 * @param pid the process id
 * @param device the device's name
 * @param mtu the tunnel MTU
 * @param mtuInForce the tunnel MTU in force: {@code mtu}, lowered while a link's probed path is smaller
 * @param startedMillis when the tunnel started, epoch ms
 * @param nowMillis when the view was taken, epoch ms
 * @param config the tunnel's configuration now
 * @param stats the tunnel's statistics
 * @param adminDown configured links taken down by the operator (not in {@code stats})
 * @param failovers the flight recorder's records
 * @param rttHistograms sampled round-trip times per link
 */
record StatusView(String name, String version, long pid, String device, int mtu, int mtuInForce, long startedMillis, long nowMillis,
        TunnelConfig config, TunnelStats stats, List<LinkConfig> adminDown, List<FailoverRecord> failovers,
        Map<String, Histogram.Snapshot> rttHistograms) {

    /**
     * Each link's round-trip histogram as the metrics show it, from the counts in {@code stats}.
     */
    static Map<String, Histogram.Snapshot> rttHistogramsOf(TunnelStats stats) {
        Map<String, Histogram.Snapshot> h = new java.util.LinkedHashMap<>();
        for (LinkStats l : stats.links()) {
            h.put(l.name(), Histogram.fromCounts(LinkStats.RTT_BOUNDS_MICROS, l.rttSampleCounts(),
                    l.rttSampleSumMicros()));
        }
        return h;
    }

    /** Reason shown for a link the operator took down. */
    static final String ADMIN_DOWN_REASON = "administratively down";

    /**
     * One row per configured link, running or taken down, in configuration order as far as
     * known: running links first in the tunnel's order, then those taken down.
     */
    List<LinkRow> rows() {
        List<LinkRow> rows = new ArrayList<>();
        for (LinkStats s : stats.links()) {
            rows.add(new LinkRow(s, config.link(s.name()).orElse(null), false));
        }
        for (LinkConfig c : adminDown) {
            rows.add(new LinkRow(zero(c.name()), c, true));
        }
        return rows;
    }

    private static LinkStats zero(String name) {
        return new LinkStats(name, LinkState.DOWN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", ADMIN_DOWN_REASON,
                0, 0, 0, 0, java.util.List.of(), 0, 0, -1, 0);
    }

    /**
     * A link's statistics and configuration.
     *
     * @param stats statistics (zeros for a link taken down)
     * @param config configuration, or {@code null} when no longer configured
     * @param adminDown whether the operator took it down
     */
    record LinkRow(LinkStats stats, LinkConfig config, boolean adminDown) {

        /** Where the link binds: {@code host:port}, {@code %interface}, {@code *:port}. */
        String local() {
            if (config == null) {
                return "";
            }
            String host = config.bindHost().orElse("*");
            String at = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + config.bindPort();
            return config.bindInterface().map(i -> at + "%" + i).orElse(at);
        }

        /** The configured remote {@code host:port}, or empty (server). */
        String remote() {
            if (config == null || config.remoteHost().isEmpty()) {
                return "";
            }
            String host = config.remoteHost().get();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + config.remotePort();
        }

        long bandwidthBitsPerSecond() {
            return config == null ? 0 : config.uploadBitsPerSecond();
        }
    }
}
