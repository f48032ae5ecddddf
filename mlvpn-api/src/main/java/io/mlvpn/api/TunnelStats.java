package io.mlvpn.api;

import java.util.List;

/**
 * A snapshot of a tunnel's counters and its links. Instances are immutable; counters are
 * cumulative since start.
 *
 * @param state tunnel state when the snapshot was taken
 * @param devicePacketsIn packets read from the device
 * @param deviceBytesIn bytes read from the device
 * @param devicePacketsOut packets written to the device
 * @param deviceBytesOut bytes written to the device
 * @param deviceWriteErrors device writes that failed (the packets of each are lost)
 * @param dropsNoLink device packets dropped because no link was up
 * @param dropsOversize device packets dropped as larger than the tunnel MTU (answered with ICMP)
 * @param tooBigSuppressed ICMP "packet too big" answers to those not sent, held back by the rate limit
 * @param dropsQueueFull packets for the device (received, or the tunnel's own ICMP answers) dropped
 *     because the hand-off ring to the device writer was full
 * @param dropsNoBuffer times a thread found the buffer pool empty: a packet it could not copy, or a
 *     receive it put off for a millisecond (the kernel drops what overflows meanwhile)
 * @param dropsDuplicate received data packets dropped as duplicates of the data sequence
 * @param dropsStaleLineage received data packets of an older session lineage dropped because data
 *     of a newer one was already written
 * @param internalErrors unexpected exceptions the engine's threads caught and survived (each may
 *     have cost the packet in hand); anything above 0 is a bug worth reporting
 * @param handshakes sessions established (first handshake and rekeys): on a client, answers to its
 *     offers that it took; on a server, sessions its client confirmed with a first packet under them
 * @param handshakeResendsUnanswered server: copies of the last accepted handshake offer not answered
 *     because it was answered on the same link moments before (a replay of the client's offer)
 * @param handshakeAnswersUnsolicited client: handshake answers naming the current session after it
 *     was established, not taken (the same offer's answers on the other links, a few per handshake;
 *     many: the server answers copies of the offer someone replays)
 * @param reordered data packets held back and released in order
 * @param lateArrivals data packets that arrived after the gap before them was given up
 * @param skippedGaps gaps in the data sequence given up (timeout, or the link carrying them died)
 * @param reorderDelayCounts how long packets held back waited, per bucket: at most
 *     {@link #REORDER_DELAY_BOUNDS_MICROS}{@code [i]} for bucket {@code i}, the last bucket above them all
 * @param reorderDelaySumMicros the sum of those waits, microseconds
 * @param buffersInUse packet buffers taken from the tunnel's pool and not yet returned (0 after close)
 * @param bufferPoolSize the most packet buffers the pool holds
 * @param links one snapshot per link, in configuration order
 */
public record TunnelStats(
        TunnelState state,
        long devicePacketsIn,
        long deviceBytesIn,
        long devicePacketsOut,
        long deviceBytesOut,
        long deviceWriteErrors,
        long dropsNoLink,
        long dropsOversize,
        long tooBigSuppressed,
        long dropsQueueFull,
        long dropsNoBuffer,
        long dropsDuplicate,
        long dropsStaleLineage,
        long internalErrors,
        long handshakes,
        long handshakeResendsUnanswered,
        long handshakeAnswersUnsolicited,
        long reordered,
        long lateArrivals,
        long skippedGaps,
        List<Long> reorderDelayCounts,
        long reorderDelaySumMicros,
        int buffersInUse,
        int bufferPoolSize,
        List<LinkStats> links) {

    /** Upper bounds of the reorder-delay buckets, microseconds. */
    public static final List<Long> REORDER_DELAY_BOUNDS_MICROS = List.of(1_000L, 2_000L, 5_000L, 10_000L, 20_000L,
            50_000L, 100_000L, 200_000L, 500_000L, 1_000_000L);

    /** Copies the lists. */
    public TunnelStats {
        links = List.copyOf(links);
        reorderDelayCounts = List.copyOf(reorderDelayCounts);
    }
}
