package io.mlvpn.core.link;

import io.mlvpn.api.LinkState;
import io.mlvpn.core.measure.Queueing;

/**
 * Decides, for a link whose peer is talking to it, which connected state it is in: probation after
 * coming back, up, suspect when it went silent while carrying data, lossy or high latency, with
 * hysteresis so it does not flap. Pure decisions from the measurements it is given; owned by the
 * timer thread.
 */
public final class LinkQuality {
    /** A link with no faster bound is suspect after this much silence while carrying data. */
    public static final long MIN_SUSPECT_NANOS = 100_000_000L;
    /** How often a receiver acknowledges a link that brings it data (a keepalive with its report). */
    public static final long ACK_INTERVAL_NANOS = 25_000_000L;
    /** Shortest silence after which a suspect link is declared down. */
    public static final long MIN_DOWN_NANOS = 1_000_000_000L;
    /** Round-trip samples a returning link needs before it is promoted. */
    public static final int PROBATION_SAMPLES = 3;
    /** Shortest time a returning link stays on probation. */
    public static final long MIN_PROBATION_NANOS = 30_000_000L;
    /** Shortest time a condition must hold before a lossy / high-latency change. */
    public static final long MIN_HOLD_NANOS = 200_000_000L;

    private long probationSinceNanos;
    private long probationSamplesAtStart;
    private long conditionSinceNanos;
    /** Whether a condition is being timed (nanoTime may be negative, so no sentinel value). */
    private boolean conditionTimed;
    private LinkState conditionTarget;
    private String reason = "";
    /** Until when loss is taken as congestion: the link was queueing what it was sent. */
    private long congestedUntilNanos;
    private boolean congestionSeen;

    /** How long after its queue was seen built up a link's loss still counts as congestion. */
    public static final long CONGESTION_MEMORY_NANOS = 1_000_000_000L;

    /** Why the last decision was taken. */
    public String reason() {
        return reason;
    }

    /** The link came back: it starts on probation. */
    public void startProbation(long nowNanos, long rttSamples) {
        probationSinceNanos = nowNanos;
        probationSamplesAtStart = rttSamples;
        conditionTimed = false;
    }

    /**
     * Silence after which a link carrying data is suspect: twice its smoothed RTT plus four
     * variations, plus the peer's acknowledgement interval, and never less than 100 ms.
     */
    public static long suspectAfterNanos(long srttMicros, long rttVarMicros) {
        long bound = (2 * srttMicros + 4 * rttVarMicros) * 1_000L + ACK_INTERVAL_NANOS;
        return Math.max(bound, MIN_SUSPECT_NANOS);
    }

    /**
     * Silence after which a suspect link is declared down: twice the suspect bound, and at least a
     * second. Traffic already left it when it turned suspect, so this only decides when the status
     * command hears of it; a busy link that a burst delayed comes back without a down/up pair.
     */
    public static long downAfterNanos(long srttMicros, long rttVarMicros) {
        return Math.max(2 * suspectAfterNanos(srttMicros, rttVarMicros), MIN_DOWN_NANOS);
    }

    /**
     * The state a connected link should be in now.
     *
     * @param current its state (one of the connected ones)
     * @param answerAgeNanos time since the peer last acknowledged a new packet of ours on the link
     *     ({@code Long.MAX_VALUE}: never); any other datagram from the peer does not count, so a
     *     link whose sends fail while it still hears the peer is not taken as working
     * @param unansweredNanos how long data sent on it has waited for any answer (0: none waiting)
     * @param srttMicros smoothed RTT, 0 without samples
     * @param rttVarMicros RTT variation
     * @param minRttMicros smallest recent RTT, 0 without samples
     * @param rttSamples RTT samples taken so far
     * @param lossRatio recent loss, 0 to 1
     * @param lossTolerancePercent loss above which it is lossy
     * @param latencyToleranceMillis RTT above which it has high latency; 0 = off
     */
    public LinkState decide(LinkState current, long nowNanos, long answerAgeNanos, long unansweredNanos, long srttMicros,
            long rttVarMicros, long minRttMicros, long rttSamples, double lossRatio, int lossTolerancePercent,
            int latencyToleranceMillis) {
        long suspectAfter = suspectAfterNanos(srttMicros, rttVarMicros);
        switch (current) {
            case PROBATION: {
                long samples = rttSamples - probationSamplesAtStart;
                long needed = Math.max(MIN_PROBATION_NANOS, 3 * srttMicros * 1_000L);
                // Round trips alone do not prove the way out: the peer echoes the last stamp it
                // got, however old. An acknowledgement since probation began does.
                boolean acked = answerAgeNanos < nowNanos - probationSinceNanos;
                if (samples >= PROBATION_SAMPLES && acked && nowNanos - probationSinceNanos >= needed) {
                    reason = "promoted after " + samples + " round trips in "
                            + (nowNanos - probationSinceNanos) / 1_000_000L + " ms";
                    return LinkState.UP;
                }
                return current;
            }
            case SUSPECT:
                if (answerAgeNanos < suspectAfter) {
                    reason = "traffic resumed";
                    return LinkState.UP;
                }
                return current;
            default:
                break;
        }
        if (unansweredNanos > suspectAfter) {
            reason = "no answer for " + unansweredNanos / 1_000_000L + " ms while carrying data (bound "
                    + suspectAfter / 1_000_000L + " ms)";
            return LinkState.SUSPECT;
        }
        LinkState target = LinkState.UP;
        String why = null;
        double lossPercent = lossRatio * 100.0;
        if (Queueing.building(srttMicros, minRttMicros)) {
            congestionSeen = true;
            congestedUntilNanos = nowNanos + CONGESTION_MEMORY_NANOS;
        }
        // Loss while the link queues what it is sent is our own congestion, which the schedulers
        // and pacing answer; taking the link out of use for it would only waste its capacity.
        boolean congested = congestionSeen && nowNanos - congestedUntilNanos < 0;
        boolean lossy = current == LinkState.LOSSY
                ? lossPercent > lossTolerancePercent / 2.0
                : lossPercent > lossTolerancePercent && !congested;
        long srttMillis = srttMicros / 1_000L;
        boolean slow = latencyToleranceMillis > 0 && srttMicros > 0 && (current == LinkState.HIGH_LATENCY
                ? srttMillis > latencyToleranceMillis * 8L / 10
                : srttMillis > latencyToleranceMillis);
        if (lossy) {
            target = LinkState.LOSSY;
            why = String.format(java.util.Locale.ROOT, "loss %.1f %% above tolerance %d %%", lossPercent,
                    lossTolerancePercent);
        } else if (slow) {
            target = LinkState.HIGH_LATENCY;
            why = "rtt " + srttMillis + " ms above tolerance " + latencyToleranceMillis + " ms";
        }
        if (target == current) {
            conditionTimed = false;
            return current;
        }
        long hold = Math.max(MIN_HOLD_NANOS, 4 * srttMicros * 1_000L);
        if (!conditionTimed || conditionTarget != target) {
            conditionTimed = true;
            conditionSinceNanos = nowNanos;
            conditionTarget = target;
            return current;
        }
        if (nowNanos - conditionSinceNanos < hold) {
            return current;
        }
        conditionTimed = false;
        reason = why != null ? why : (current == LinkState.LOSSY ? "loss back under tolerance"
                : "rtt back under tolerance");
        return target;
    }
}
