package io.mlvpn.launcher.control;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.TunnelStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format (version 0.0.4) of a {@link StatusView}: every
 * metric with {@code # HELP} and {@code # TYPE}, per-link metrics labelled {@code link}. Names are
 * listed in {@code docs/control.md}. Stateless.
 */
final class MetricsText {
    /** The {@code Content-Type} of the answer. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    private MetricsText() {
    }

    static String write(StatusView v) {
        MetricsText m = new MetricsText();
        m.tunnel(v);
        m.links(v);
        return m.out.toString();
    }

    private void tunnel(StatusView v) {
        TunnelStats s = v.stats();
        header("mlvpn_info", "gauge", "Constant 1, labelled with the version, mode and cipher.");
        out.append("mlvpn_info{version=\"").append(esc(v.version())).append("\",mode=\"")
                .append(StatusJson.lower(v.config().mode().name())).append("\",cipher=\"")
                .append(esc(v.config().cipher().configName())).append("\",device=\"").append(esc(v.device()))
                .append("\"} 1\n");
        gauge("mlvpn_up", "1 while at least one link is up.", s.state() == TunnelState.UP ? 1 : 0);
        gauge("mlvpn_start_time_seconds", "When the tunnel started, Unix time.", v.startedMillis() / 1000.0);
        gauge("mlvpn_mtu_bytes", "The tunnel MTU.", v.mtu());
        gauge("mlvpn_mtu_in_force_bytes", "The tunnel MTU in force: lower while a link's probed path is smaller.",
                v.mtuInForce());
        header("mlvpn_device_packets_total", "counter", "Packets read from (in) and written to (out) the device.");
        sample("mlvpn_device_packets_total", "direction", "in", s.devicePacketsIn());
        sample("mlvpn_device_packets_total", "direction", "out", s.devicePacketsOut());
        header("mlvpn_device_bytes_total", "counter", "Bytes read from (in) and written to (out) the device.");
        sample("mlvpn_device_bytes_total", "direction", "in", s.deviceBytesIn());
        sample("mlvpn_device_bytes_total", "direction", "out", s.deviceBytesOut());
        counter("mlvpn_device_write_errors_total", "Device writes that failed (their packets are lost).",
                s.deviceWriteErrors());
        header("mlvpn_drops_total", "counter", "Tunnel packets dropped, by reason.");
        sample("mlvpn_drops_total", "reason", "no_link", s.dropsNoLink());
        sample("mlvpn_drops_total", "reason", "oversize", s.dropsOversize());
        sample("mlvpn_drops_total", "reason", "queue_full", s.dropsQueueFull());
        sample("mlvpn_drops_total", "reason", "no_buffer", s.dropsNoBuffer());
        sample("mlvpn_drops_total", "reason", "duplicate", s.dropsDuplicate());
        sample("mlvpn_drops_total", "reason", "stale_lineage", s.dropsStaleLineage());
        counter("mlvpn_icmp_too_big_suppressed_total", "Packet-too-big answers held back by the rate limit.",
                s.tooBigSuppressed());
        counter("mlvpn_internal_errors_total", "Unexpected exceptions the engine caught and survived (a bug).",
                s.internalErrors());
        gauge("mlvpn_buffers_in_use", "Packet buffers taken from the pool and not yet returned.", s.buffersInUse());
        gauge("mlvpn_buffers_max", "The most packet buffers the pool holds.", s.bufferPoolSize());
        counter("mlvpn_handshakes_total", "Sessions established (first handshake and rekeys).", s.handshakes());
        counter("mlvpn_handshake_resends_unanswered_total",
                "Server: copies of the last accepted handshake offer left unanswered by the resend limit.",
                s.handshakeResendsUnanswered());
        counter("mlvpn_handshake_answers_unsolicited_total",
                "Client: handshake answers for the current session after it was established, not taken.",
                s.handshakeAnswersUnsolicited());
        counter("mlvpn_reorder_held_total", "Data packets held back and released in order.", s.reordered());
        counter("mlvpn_reorder_late_total", "Data packets that arrived after their gap was given up.",
                s.lateArrivals());
        counter("mlvpn_reorder_skipped_gaps_total", "Gaps in the data sequence given up.", s.skippedGaps());
        reorderDelay(s);
        counter("mlvpn_failovers_total", "Failovers completed in the flight recorder's memory.",
                v.failovers().stream().filter(FailoverRecord::complete).count());
    }

    private void links(StatusView v) {
        List<StatusView.LinkRow> rows = v.rows();
        header("mlvpn_link_state", "gauge", "1 for the link's current state, 0 for the others.");
        for (StatusView.LinkRow r : rows) {
            for (LinkState st : LinkState.values()) {
                out.append("mlvpn_link_state{link=\"").append(esc(r.stats().name())).append("\",state=\"")
                        .append(StatusJson.lower(st.name())).append("\"} ").append(r.stats().state() == st ? 1 : 0)
                        .append('\n');
            }
        }
        linkGauge(rows, "mlvpn_link_admin_down", "1 when the operator took the link down.", r -> r.adminDown() ? 1 : 0);
        linkGauge(rows, "mlvpn_link_srtt_seconds", "Smoothed round-trip time; 0 before the first sample.",
                r -> r.stats().srttMicros() / 1e6);
        linkGauge(rows, "mlvpn_link_rttvar_seconds", "Round-trip time variation.", r -> r.stats().rttVarMicros() / 1e6);
        linkGauge(rows, "mlvpn_link_min_rtt_seconds", "Smallest round trip of the last 5 to 10 s (no queueing).",
                r -> r.stats().minRttMicros() / 1e6);
        linkGauge(rows, "mlvpn_link_loss_ratio", "Recent fraction of packets the peer reported missing.",
                r -> r.stats().lossRatio());
        linkGauge(rows, "mlvpn_link_delivery_rate_bits_per_second", "Rate the peer reports receiving at.",
                r -> r.stats().deliveryRateBitsPerSecond());
        linkGauge(rows, "mlvpn_link_bandwidth_bits_per_second", "Configured upload bandwidth; 0 when not set.",
                r -> r.bandwidthBitsPerSecond());
        linkGauge(rows, "mlvpn_link_in_flight_bytes", "Bytes sent and not yet reported received.",
                r -> r.stats().inFlightBytes());
        header("mlvpn_link_rate_bits_per_second", "gauge", "Recent send (tx) and receive (rx) rate, UDP payload.");
        for (StatusView.LinkRow r : rows) {
            linkSample("mlvpn_link_rate_bits_per_second", r, "direction", "tx", r.stats().txBitsPerSecond());
            linkSample("mlvpn_link_rate_bits_per_second", r, "direction", "rx", r.stats().rxBitsPerSecond());
        }
        header("mlvpn_link_bytes_total", "counter", "UDP payload bytes sent (tx) and received (rx, authenticated).");
        for (StatusView.LinkRow r : rows) {
            linkSample("mlvpn_link_bytes_total", r, "direction", "tx", r.stats().txBytes());
            linkSample("mlvpn_link_bytes_total", r, "direction", "rx", r.stats().rxBytes());
        }
        header("mlvpn_link_packets_total", "counter", "Datagrams sent (tx) and received (rx, authenticated).");
        for (StatusView.LinkRow r : rows) {
            linkSample("mlvpn_link_packets_total", r, "direction", "tx", r.stats().txPackets());
            linkSample("mlvpn_link_packets_total", r, "direction", "rx", r.stats().rxPackets());
        }
        linkCounter(rows, "mlvpn_link_tx_refused_total", "Datagrams the link's socket refused to send.",
                r -> r.stats().txRefused());
        header("mlvpn_link_drops_total", "counter", "Received datagrams dropped, by reason.");
        for (StatusView.LinkRow r : rows) {
            linkSample("mlvpn_link_drops_total", r, "reason", "auth", r.stats().dropsAuth());
            linkSample("mlvpn_link_drops_total", r, "reason", "replay", r.stats().dropsReplay());
            linkSample("mlvpn_link_drops_total", r, "reason", "malformed", r.stats().dropsMalformed());
        }
        linkCounter(rows, "mlvpn_link_lost_packets_total", "Datagrams the peer reported never received.",
                r -> r.stats().lostPackets());
        linkCounter(rows, "mlvpn_link_down_transitions_total", "Times the link went from up to down.",
                r -> r.stats().downTransitions());
        linkCounter(rows, "mlvpn_link_rescued_packets_total", "Packets sent again on other links after this one"
                + " turned suspect.", r -> r.stats().rescuedPackets());
        // Only links whose transport can tell (linux-udp's SO_RXQ_OVFL); it restarts with the socket.
        linkCounter(rows.stream().filter(r -> r.stats().receiveBufferDrops() >= 0).toList(),
                "mlvpn_link_receive_buffer_drops_total", "Datagrams the kernel dropped because the link's socket"
                + " receive buffer was full, since the socket opened.", r -> r.stats().receiveBufferDrops());
        linkGauge(rows, "mlvpn_link_path_mtu_bytes", "Largest datagram the link's path was probed to carry, UDP"
                + " payload; 0 while not probed.", r -> r.stats().pathMtu());
        linkGauge(rows, "mlvpn_link_last_receive_timestamp_seconds", "Last authenticated datagram, Unix time; 0 if none.",
                r -> r.stats().lastReceiveMillis() / 1000.0);
        linkGauge(rows, "mlvpn_link_state_change_timestamp_seconds", "Last state change, Unix time; 0 if none.",
                r -> r.stats().stateChangedMillis() / 1000.0);
        histograms("mlvpn_link_rtt_seconds", "The link's round-trip time samples (echoed stamps).",
                v.rttHistograms());
    }

    /** The engine's reorder-delay histogram: how long held packets waited for their gap to fill. */
    private void reorderDelay(io.mlvpn.api.TunnelStats s) {
        String name = "mlvpn_reorder_delay_seconds";
        header(name, "histogram", "How long data packets held back by the reorder buffer waited.");
        Histogram.Snapshot h = Histogram.fromCounts(io.mlvpn.api.TunnelStats.REORDER_DELAY_BOUNDS_MICROS,
                s.reorderDelayCounts(), s.reorderDelaySumMicros());
        for (int i = 0; i < h.bounds().length; i++) {
            out.append(name).append("_bucket{le=\"").append(number(h.bounds()[i])).append("\"} ")
                    .append(h.cumulativeCounts()[i]).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(h.count()).append('\n');
        out.append(name).append("_sum ").append(number(h.sum())).append('\n');
        out.append(name).append("_count ").append(h.count()).append('\n');
    }

    private void histograms(String name, String help, Map<String, Histogram.Snapshot> perLink) {
        header(name, "histogram", help);
        for (Map.Entry<String, Histogram.Snapshot> e : perLink.entrySet()) {
            String link = esc(e.getKey());
            Histogram.Snapshot h = e.getValue();
            for (int i = 0; i < h.bounds().length; i++) {
                out.append(name).append("_bucket{link=\"").append(link).append("\",le=\"").append(number(h.bounds()[i]))
                        .append("\"} ").append(h.cumulativeCounts()[i]).append('\n');
            }
            out.append(name).append("_bucket{link=\"").append(link).append("\",le=\"+Inf\"} ").append(h.count())
                    .append('\n');
            out.append(name).append("_sum{link=\"").append(link).append("\"} ").append(number(h.sum())).append('\n');
            out.append(name).append("_count{link=\"").append(link).append("\"} ").append(h.count()).append('\n');
        }
    }

    /** A value of one link. */
    private interface RowValue {
        double of(StatusView.LinkRow r);
    }

    private void linkGauge(List<StatusView.LinkRow> rows, String name, String help, RowValue value) {
        header(name, "gauge", help);
        for (StatusView.LinkRow r : rows) {
            out.append(name).append("{link=\"").append(esc(r.stats().name())).append("\"} ")
                    .append(number(value.of(r))).append('\n');
        }
    }

    private void linkCounter(List<StatusView.LinkRow> rows, String name, String help, RowValue value) {
        header(name, "counter", help);
        for (StatusView.LinkRow r : rows) {
            out.append(name).append("{link=\"").append(esc(r.stats().name())).append("\"} ")
                    .append(number(value.of(r))).append('\n');
        }
    }

    private void linkSample(String name, StatusView.LinkRow r, String label, String labelValue, long value) {
        out.append(name).append("{link=\"").append(esc(r.stats().name())).append("\",").append(label).append("=\"")
                .append(labelValue).append("\"} ").append(value).append('\n');
    }

    private void header(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void gauge(String name, String help, double value) {
        header(name, "gauge", help);
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private void counter(String name, String help, long value) {
        header(name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private void sample(String name, String label, String labelValue, long value) {
        out.append(name).append('{').append(label).append("=\"").append(labelValue).append("\"} ").append(value)
                .append('\n');
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.9g", v).replaceFirst("0+(e|$)", "$1").replaceFirst("\\.(e|$)", "$1");
    }

    /** A label value as the format requires: backslash, double quote and newline escaped. */
    static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
