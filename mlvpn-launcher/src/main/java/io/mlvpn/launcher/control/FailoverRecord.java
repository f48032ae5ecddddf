package io.mlvpn.launcher.control;

/**
 * One failover as the {@link FlightRecorder} saw it. Times are wall-clock epoch milliseconds; 0
 * where a step did not happen (a link that timed out idle was never suspect; a suspect link that
 * recovered never went down). Instances are immutable.
 *
 * @param link the link that failed
 * @param reason the reason of the event that opened the record
 * @param silentAtMillis when the link last answered (the event's time minus the silence it reports)
 * @param suspectAtMillis when it was declared suspect, or 0
 * @param downAtMillis when it was declared down, or 0
 * @param movedAtMillis when new traffic stopped going to it: at suspect, or else at down
 * @param outcome {@code "down"} or {@code "recovered"} (suspect, then back without going down);
 *     {@code "open"} while the link has not settled
 * @param rescuedPackets packets sent again on other links because of this failure
 * @param baselineBitsPerSecond what the tunnel delivered before the silence
 * @param belowCapacityMillis how long, from the silence on, the tunnel delivered below 90 % of that
 *     baseline (or of what the links left can carry, when all have a configured bandwidth); 0
 *     when the tunnel was idle
 * @param capacityRecovered false when the tunnel was still below after the recorder's time limit
 * @param complete false while the record is still open
 */
public record FailoverRecord(
        String link,
        String reason,
        long silentAtMillis,
        long suspectAtMillis,
        long downAtMillis,
        long movedAtMillis,
        String outcome,
        long rescuedPackets,
        long baselineBitsPerSecond,
        long belowCapacityMillis,
        boolean capacityRecovered,
        boolean complete) {
}
