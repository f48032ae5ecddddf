package io.mlvpn.launcher.control;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.TunnelStats;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * Records every failover: when the link went silent, was declared suspect and down, when traffic
 * moved off it, how many packets were rescued onto other links, and how long the tunnel then
 * delivered below what it delivered before. Keeps the last {@code capacity} records; each is
 * logged at info level as one line when it completes.
 *
 * <p>Fed from two sides: {@link #linkStateChanged} on the tunnel's timer thread (link events), and
 * {@link #sample} every 100 ms on the control sampler thread (the tunnel's statistics: delivered
 * rate and rescued packets). The silence start comes from the event's reason ({@code "no answer
 * for 240 ms ..."}, {@code "no authenticated datagram for 10000 ms"}): the engine reports how long
 * the link had been silent when it decided. Traffic moves at the suspect event (no new data goes
 * to a suspect link) or, for a link that was never suspect, at the down event.
 *
 * <p>The tunnel's delivered rate is the sum of the links' delivery rates as the peer reports them
 * (this side's sending) plus the rate of packets written to the device (the peer's sending). A
 * drop in offered load looks the same as a loss of capacity; the record says what was measured.
 *
 * <p>Safe for concurrent use: every method synchronizes briefly, no call blocks.
 */
public final class FlightRecorder implements TunnelListener {
    /** How many completed records are kept by default. */
    public static final int DEFAULT_CAPACITY = 32;
    /** A record still below capacity this long after the silence is closed as not recovered. */
    static final long CAPACITY_LIMIT_MILLIS = 30_000;
    /** Consecutive samples at capacity that count as recovered. */
    static final int RECOVERED_SAMPLES = 3;
    /** Below this baseline the tunnel counts as idle: nothing to deliver, nothing below capacity. */
    static final long IDLE_BITS_PER_SECOND = 10_000;
    /** How long before the silence the baseline is averaged over. */
    static final long BASELINE_MILLIS = 2_000;
    private static final double AT_CAPACITY = 0.9;
    private static final int HISTORY = 64;
    private static final Pattern FOR_MILLIS = Pattern.compile("for (\\d{1,9}) ms");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final int capacity;
    private final Logger log;
    private final ArrayDeque<FailoverRecord> completed = new ArrayDeque<>();
    private final Map<String, Open> open = new LinkedHashMap<>();
    private final Map<String, Long> rescued = new HashMap<>();
    private final long[] historyMillis = new long[HISTORY];
    private final long[] historyBits = new long[HISTORY];
    private int historySize;
    private int historyNext;
    private long lastDeviceBytesOut = -1;
    private long lastSampleMillis;
    private long deliveredBitsPerSecond;

    /**
     * @param capacity completed records kept, at least 1
     * @param log where each completed record is logged
     */
    public FlightRecorder(int capacity, Logger log) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity < 1: " + capacity);
        }
        this.capacity = capacity;
        this.log = log;
    }

    /** Opens or advances the link's record. Timer thread; fast. */
    @Override
    public synchronized void linkStateChanged(LinkEvent e) {
        Open o = open.get(e.link());
        long t = e.epochMillis();
        if (e.to() == LinkState.SUSPECT && e.from().connected()) {
            if (o == null) {
                o = new Open(e.link(), e.reason(), t - silenceMillis(e.reason()), rescued.getOrDefault(e.link(), 0L));
                o.suspectAt = t;
                o.movedAt = t;
                o.baseline = baseline(o.silentAt, t);
                open.put(e.link(), o);
            }
        } else if (e.from().connected() && !e.to().connected()) {
            if (o == null) {
                o = new Open(e.link(), e.reason(), t - silenceMillis(e.reason()), rescued.getOrDefault(e.link(), 0L));
                o.movedAt = t;
                o.baseline = baseline(o.silentAt, t);
                open.put(e.link(), o);
            }
            if (o.outcome == null) {
                o.downAt = t;
                o.outcome = "down";
            }
        } else if (o != null && e.from() == LinkState.SUSPECT && e.to().connected() && o.outcome == null) {
            o.outcome = "recovered";
        }
    }

    /**
     * Takes one sample of the tunnel's statistics and completes the records that are done.
     * Sampler thread.
     *
     * @param stats the tunnel's statistics now
     * @param bandwidths configured upload bandwidth per link, bits per second (absent: unknown)
     * @param nowMillis wall-clock time of the sample
     */
    public synchronized void sample(TunnelStats stats, Map<String, Long> bandwidths, long nowMillis) {
        long linkRates = 0;
        for (LinkStats l : stats.links()) {
            linkRates += l.deliveryRateBitsPerSecond();
            rescued.put(l.name(), l.rescuedPackets());
        }
        long deviceRate = 0;
        if (lastDeviceBytesOut >= 0 && nowMillis > lastSampleMillis) {
            deviceRate = Math.max(0, stats.deviceBytesOut() - lastDeviceBytesOut) * 8_000 / (nowMillis - lastSampleMillis);
        }
        lastDeviceBytesOut = stats.deviceBytesOut();
        lastSampleMillis = nowMillis;
        deliveredBitsPerSecond = linkRates + deviceRate;
        historyMillis[historyNext] = nowMillis;
        historyBits[historyNext] = deliveredBitsPerSecond;
        historyNext = (historyNext + 1) % HISTORY;
        historySize = Math.min(HISTORY, historySize + 1);

        for (Iterator<Open> it = open.values().iterator(); it.hasNext();) {
            Open o = it.next();
            if (nowMillis >= o.movedAt) {
                long target = target(o, stats, bandwidths);
                if (deliveredBitsPerSecond >= AT_CAPACITY * target) {
                    if (o.atCapacityRun == 0) {
                        o.atCapacitySince = nowMillis;
                    }
                    o.atCapacityRun++;
                    if (o.atCapacityRun >= RECOVERED_SAMPLES && o.recoveredAt < 0) {
                        o.recoveredAt = o.atCapacitySince;
                    }
                } else {
                    o.atCapacityRun = 0;
                }
            }
            boolean idle = o.baseline < IDLE_BITS_PER_SECOND;
            boolean timedOut = nowMillis - o.silentAt > CAPACITY_LIMIT_MILLIS;
            if (o.outcome != null && (idle || o.recoveredAt >= 0 || timedOut)) {
                long below = idle ? 0 : o.recoveredAt >= 0 ? Math.max(0, o.recoveredAt - o.silentAt)
                        : nowMillis - o.silentAt;
                long rescuedNow = rescued.getOrDefault(o.link, o.rescuedAtStart);
                FailoverRecord r = o.record(Math.max(0, rescuedNow - o.rescuedAtStart), below,
                        idle || o.recoveredAt >= 0, true);
                it.remove();
                completed.addLast(r);
                while (completed.size() > capacity) {
                    completed.removeFirst();
                }
                log.info("{}", describe(r));
            }
        }
    }

    /** The tunnel's delivered rate at the last sample, bits per second. */
    public synchronized long deliveredBitsPerSecond() {
        return deliveredBitsPerSecond;
    }

    /** The completed records, oldest first, then the open ones (not {@code complete}). */
    public synchronized List<FailoverRecord> records() {
        List<FailoverRecord> all = new ArrayList<>(completed);
        for (Open o : open.values()) {
            long rescuedNow = rescued.getOrDefault(o.link, o.rescuedAtStart);
            all.add(o.record(Math.max(0, rescuedNow - o.rescuedAtStart), 0, false, false));
        }
        return all;
    }

    /** The one log line for a record. */
    static String describe(FailoverRecord r) {
        StringBuilder sb = new StringBuilder("failover of link ").append(r.link()).append(": silent at ")
                .append(TIME.format(Instant.ofEpochMilli(r.silentAtMillis())));
        if (r.suspectAtMillis() != 0) {
            sb.append(", suspect +").append(r.suspectAtMillis() - r.silentAtMillis()).append(" ms");
        }
        if (r.downAtMillis() != 0) {
            sb.append(", down +").append(r.downAtMillis() - r.silentAtMillis()).append(" ms");
        }
        sb.append(", traffic moved +").append(r.movedAtMillis() - r.silentAtMillis()).append(" ms, ")
                .append(r.rescuedPackets()).append(" packets rescued, ");
        if (r.baselineBitsPerSecond() < IDLE_BITS_PER_SECOND) {
            sb.append("tunnel idle");
        } else {
            sb.append(r.capacityRecovered() ? "below capacity for " : "still below capacity after ")
                    .append(r.belowCapacityMillis()).append(" ms (before: ")
                    .append(r.baselineBitsPerSecond() / 1000).append(" kbit/s)");
        }
        return sb.append("; ").append(r.outcome()).append(" (").append(r.reason()).append(')').toString();
    }

    private static long silenceMillis(String reason) {
        Matcher m = FOR_MILLIS.matcher(reason);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Average delivered rate over the samples before {@code silentAt} (or before {@code t}). */
    private long baseline(long silentAt, long t) {
        long sum = 0;
        int n = 0;
        long latestAt = Long.MIN_VALUE;
        long latestBits = 0;
        for (int i = 0; i < historySize; i++) {
            long at = historyMillis[i];
            if (at <= silentAt && at > silentAt - BASELINE_MILLIS) {
                sum += historyBits[i];
                n++;
            }
            if (at <= t && at > latestAt) {
                latestAt = at;
                latestBits = historyBits[i];
            }
        }
        return n > 0 ? sum / n : latestBits;
    }

    /** The rate that counts as back at capacity: the baseline, or less when the links left cannot carry it. */
    private static long target(Open o, TunnelStats stats, Map<String, Long> bandwidths) {
        long left = 0;
        for (LinkStats l : stats.links()) {
            if (l.name().equals(o.link) || !l.state().connected() || l.state() == LinkState.SUSPECT) {
                continue;
            }
            Long bw = bandwidths.get(l.name());
            if (bw == null || bw <= 0) {
                return o.baseline;
            }
            left += bw;
        }
        return Math.min(o.baseline, left);
    }

    /** A record still open. Guarded by the recorder's lock. */
    private static final class Open {
        final String link;
        final String reason;
        final long silentAt;
        final long rescuedAtStart;
        long suspectAt;
        long downAt;
        long movedAt;
        long baseline;
        String outcome;
        int atCapacityRun;
        long atCapacitySince;
        long recoveredAt = -1;

        Open(String link, String reason, long silentAt, long rescuedAtStart) {
            this.link = link;
            this.reason = reason;
            this.silentAt = silentAt;
            this.rescuedAtStart = rescuedAtStart;
        }

        FailoverRecord record(long rescuedPackets, long belowMillis, boolean recovered, boolean complete) {
            return new FailoverRecord(link, reason, silentAt, suspectAt, downAt, movedAt,
                    outcome == null ? "open" : outcome, rescuedPackets, baseline, belowMillis, recovered, complete);
        }
    }
}
