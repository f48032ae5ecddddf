package io.mlvpn.api;

import java.util.List;

/**
 * A snapshot of one link's measurements and counters. Instances are immutable; counters are
 * cumulative since the tunnel started, zero (never null) while the link has never been up.
 *
 * @param name link name
 * @param state state when the snapshot was taken
 * @param srttMicros smoothed round-trip time, microseconds; 0 before the first sample
 * @param rttVarMicros round-trip time variation, microseconds; 0 before the first sample
 * @param lossRatio recent fraction of this side's packets the peer reported missing, 0 to 1
 * @param txPackets datagrams sent
 * @param txBytes UDP payload bytes sent
 * @param txRefused datagrams the link's socket refused to send (no route, full buffer, closed),
 *     not counted in {@code txPackets}
 * @param rxPackets authenticated datagrams received
 * @param rxBytes UDP payload bytes of authenticated datagrams received
 * @param txBitsPerSecond recent send rate, UDP payload bits per second
 * @param rxBitsPerSecond recent receive rate, UDP payload bits per second
 * @param lostPackets this side's datagrams the peer reported as never received
 * @param dropsAuth datagrams dropped because they failed authentication or named no session
 * @param dropsReplay datagrams dropped as replays or too old for the replay window
 * @param dropsMalformed datagrams dropped as too short, of a bad version or type, or inconsistent
 * @param downTransitions times the link went from up to down
 * @param lastReceiveMillis wall-clock time of the last authenticated datagram, epoch ms; 0 if none
 * @param peer the peer's address as {@code host:port}, or empty when unknown
 * @param stateReason why the link is in its state, in a few words
 * @param stateChangedMillis wall-clock time of the last state change, epoch ms; 0 if none
 * @param deliveryRateBitsPerSecond rate the peer reported receiving at, bits per second
 * @param inFlightBytes bytes sent that the peer has not yet reported as received
 * @param rescuedPackets packets sent again on other links after this one turned suspect
 * @param rttSampleCounts round-trip samples per bucket: at most {@link #RTT_BOUNDS_MICROS}{@code [i]}
 *     for bucket {@code i}, the last bucket above them all
 * @param rttSampleSumMicros the sum of those samples, microseconds
 * @param minRttMicros the smallest round trip of the last 5 to 10 s, microseconds (the path
 *     without queueing); 0 before the first sample
 * @param receiveBufferDrops datagrams the kernel dropped because this link's socket receive
 *     buffer was full, since the socket opened; -1 when its transport cannot tell
 * @param pathMtu the largest datagram (UDP payload bytes) path-MTU probing found the link's path
 *     to carry; 0 while it is not probed ({@link Link#pathMtu()})
 */
public record LinkStats(
        String name,
        LinkState state,
        long srttMicros,
        long rttVarMicros,
        double lossRatio,
        long txPackets,
        long txBytes,
        long txRefused,
        long rxPackets,
        long rxBytes,
        long txBitsPerSecond,
        long rxBitsPerSecond,
        long lostPackets,
        long dropsAuth,
        long dropsReplay,
        long dropsMalformed,
        long downTransitions,
        long lastReceiveMillis,
        String peer,
        String stateReason,
        long stateChangedMillis,
        long deliveryRateBitsPerSecond,
        long inFlightBytes,
        long rescuedPackets,
        List<Long> rttSampleCounts,
        long rttSampleSumMicros,
        long minRttMicros,
        long receiveBufferDrops,
        int pathMtu) {

    /** Upper bounds of the round-trip sample buckets, microseconds: 1 ms to 5 s. */
    public static final List<Long> RTT_BOUNDS_MICROS = List.of(1_000L, 2_500L, 5_000L, 10_000L, 25_000L, 50_000L,
            100_000L, 250_000L, 500_000L, 1_000_000L, 2_500_000L, 5_000_000L);

    /** Copies the list. */
    public LinkStats {
        rttSampleCounts = List.copyOf(rttSampleCounts);
    }
}
