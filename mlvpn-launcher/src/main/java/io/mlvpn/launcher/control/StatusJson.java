package io.mlvpn.launcher.control;

import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelStats;
import java.util.Locale;

/** Writes the JSON status documented in {@code docs/control.md}. Stateless. */
final class StatusJson {
    private StatusJson() {
    }

    /** The whole status: tunnel, links, failovers. */
    static String status(StatusView v) {
        JsonWriter w = new JsonWriter().beginObject();
        TunnelStats s = v.stats();
        w.field("name", v.name()).field("version", v.version()).field("pid", v.pid())
                .field("mode", lower(v.config().mode().name())).field("state", lower(s.state().name()))
                .field("cipher", v.config().cipher().configName()).field("scheduler", v.config().scheduler())
                .field("device", v.device()).field("mtu", v.mtu()).field("mtu_in_force", v.mtuInForce())
                .field("started_epoch_ms", v.startedMillis()).field("now_epoch_ms", v.nowMillis())
                .field("uptime_seconds", Math.max(0, v.nowMillis() - v.startedMillis()) / 1000);
        w.name("device_counters").beginObject()
                .field("packets_in", s.devicePacketsIn()).field("bytes_in", s.deviceBytesIn())
                .field("packets_out", s.devicePacketsOut()).field("bytes_out", s.deviceBytesOut())
                .field("write_errors", s.deviceWriteErrors())
                .endObject();
        w.name("drops").beginObject()
                .field("no_link", s.dropsNoLink()).field("oversize", s.dropsOversize())
                .field("queue_full", s.dropsQueueFull()).field("no_buffer", s.dropsNoBuffer())
                .field("duplicate", s.dropsDuplicate()).field("stale_lineage", s.dropsStaleLineage())
                .endObject();
        w.field("icmp_too_big_suppressed", s.tooBigSuppressed());
        w.name("reorder").beginObject()
                .field("enabled", v.config().reorder()).field("held", s.reordered())
                .field("late", s.lateArrivals()).field("skipped_gaps", s.skippedGaps());
        counts(w.name("delay_counts"), s.reorderDelayCounts());
        w.field("delay_sum_ms", s.reorderDelaySumMicros() / 1000.0).endObject();
        w.name("buffers").beginObject()
                .field("in_use", s.buffersInUse()).field("pool_size", s.bufferPoolSize())
                .endObject();
        w.field("handshakes", s.handshakes())
                .field("handshake_resends_unanswered", s.handshakeResendsUnanswered())
                .field("handshake_answers_unsolicited", s.handshakeAnswersUnsolicited())
                .field("internal_errors", s.internalErrors());
        w.name("links");
        links(w, v);
        w.name("failovers").beginArray();
        for (FailoverRecord r : v.failovers()) {
            failover(w, r);
        }
        w.endArray();
        return w.endObject().toString();
    }

    /** The links alone: {@code {"links": [...]}}. */
    static String links(StatusView v) {
        JsonWriter w = new JsonWriter().beginObject().field("state", lower(v.stats().state().name())).name("links");
        links(w, v);
        return w.endObject().toString();
    }

    private static void links(JsonWriter w, StatusView v) {
        w.beginArray();
        for (StatusView.LinkRow row : v.rows()) {
            LinkStats l = row.stats();
            w.beginObject()
                    .field("name", l.name()).field("state", lower(l.state().name())).field("reason", l.stateReason())
                    .field("state_changed_epoch_ms", l.stateChangedMillis()).field("admin_down", row.adminDown())
                    .field("fallback_only", row.config() != null && row.config().fallbackOnly())
                    .field("local", row.local()).field("remote", row.remote()).field("peer", l.peer())
                    .field("srtt_ms", l.srttMicros() / 1000.0).field("rttvar_ms", l.rttVarMicros() / 1000.0)
                    .field("min_rtt_ms", l.minRttMicros() / 1000.0)
                    .field("loss_ratio", l.lossRatio())
                    .field("delivery_rate_bps", l.deliveryRateBitsPerSecond())
                    .field("tx_rate_bps", l.txBitsPerSecond()).field("rx_rate_bps", l.rxBitsPerSecond())
                    .field("bandwidth_bps", row.bandwidthBitsPerSecond())
                    .field("in_flight_bytes", l.inFlightBytes())
                    .field("tx_packets", l.txPackets()).field("tx_bytes", l.txBytes())
                    .field("tx_refused", l.txRefused())
                    .field("rx_packets", l.rxPackets()).field("rx_bytes", l.rxBytes())
                    .field("lost_packets", l.lostPackets());
            w.name("drops").beginObject().field("auth", l.dropsAuth()).field("replay", l.dropsReplay())
                    .field("malformed", l.dropsMalformed()).endObject();
            w.field("down_transitions", l.downTransitions()).field("rescued_packets", l.rescuedPackets())
                    .field("last_receive_epoch_ms", l.lastReceiveMillis())
                    .field("receive_buffer_drops", l.receiveBufferDrops())
                    .field("path_mtu", l.pathMtu());
            counts(w.name("rtt_counts"), l.rttSampleCounts());
            w.field("rtt_sum_ms", l.rttSampleSumMicros() / 1000.0);
            w.endObject();
        }
        w.endArray();
    }

    /** A histogram's per-bucket counts (not cumulative), in the order of its documented bounds. */
    private static void counts(JsonWriter w, java.util.List<Long> counts) {
        w.beginArray();
        for (long c : counts) {
            w.value(c);
        }
        w.endArray();
    }

    private static void failover(JsonWriter w, FailoverRecord r) {
        w.beginObject().field("link", r.link()).field("reason", r.reason()).field("outcome", r.outcome())
                .field("complete", r.complete())
                .field("silent_epoch_ms", r.silentAtMillis())
                .field("suspect_after_ms", r.suspectAtMillis() == 0 ? -1 : r.suspectAtMillis() - r.silentAtMillis())
                .field("down_after_ms", r.downAtMillis() == 0 ? -1 : r.downAtMillis() - r.silentAtMillis())
                .field("moved_after_ms", r.movedAtMillis() - r.silentAtMillis())
                .field("rescued_packets", r.rescuedPackets())
                .field("baseline_bps", r.baselineBitsPerSecond())
                .field("below_capacity_ms", r.belowCapacityMillis())
                .field("capacity_recovered", r.capacityRecovered())
                .endObject();
    }

    /** A one-line JSON error: {@code {"error": "..."}}. */
    static String error(String message) {
        return new JsonWriter().beginObject().field("error", message).endObject().toString();
    }

    /** The answer to an action. */
    static String action(ActionResult r) {
        JsonWriter w = new JsonWriter().beginObject().field("ok", r.ok()).field("outcome", lower(r.outcome().name()))
                .field("message", r.message()).name("not_applied").beginArray();
        for (String s : r.notApplied()) {
            w.value(s);
        }
        return w.endArray().endObject().toString();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
