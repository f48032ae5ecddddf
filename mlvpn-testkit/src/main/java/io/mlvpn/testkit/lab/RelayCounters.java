package io.mlvpn.testkit.lab;

/**
 * A snapshot of one direction's datagram counters in a {@link UdpRelay}. Each counter is read on
 * its own, so a snapshot taken while traffic flows may be off by the datagrams in motion.
 * Instances are immutable.
 *
 * @param forwarded datagrams sent on towards their destination
 * @param droppedByCut datagrams dropped because the direction was cut
 * @param droppedByLoss datagrams dropped by the random loss
 * @param droppedByQueue datagrams dropped because the rate limiter's queue was full
 * @param droppedOther datagrams above the size limit (a path-MTU black hole,
 *     {@link Impairment#maxDatagramBytes()}), and datagrams the relay itself could not carry: its memory bound was reached
 *     (too many datagrams held for their delay), no client address was known yet (server to
 *     client), or the send failed (for example racing a {@link UdpRelay#rebind()})
 */
public record RelayCounters(long forwarded, long droppedByCut, long droppedByLoss, long droppedByQueue,
        long droppedOther) {

    /** All drops, whatever the reason. */
    public long dropped() {
        return droppedByCut + droppedByLoss + droppedByQueue + droppedOther;
    }
}
