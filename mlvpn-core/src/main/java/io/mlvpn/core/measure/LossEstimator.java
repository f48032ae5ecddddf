package io.mlvpn.core.measure;

/**
 * Packet loss on one link in one direction, computed from the peer's receive reports.
 *
 * <p>A report gives the highest per-link sequence number the peer received and its cumulative
 * count of our packets received; sequences start at 0 in each session, so {@code highest + 1}
 * packets had been sent up to that point. The packets missing at a report are
 * {@code sent - received} (never below 0: a peer may count a duplicate). {@link #lostPackets()}
 * is the most packets ever missing at one report, so it never goes down: a packet reported
 * missing that arrives late (reordering) stays counted, but absorbs the next real loss, so the
 * count exceeds the true loss by at most the reordering depth seen at one report, not by every
 * late packet. A report older than the last one (lower sequence or lower received count) or
 * malformed is ignored and counted; a repeated report changes nothing.
 *
 * <p>{@link #lossRatio()} is an exponentially weighted moving average per packet with a time
 * constant of {@value #RATIO_WINDOW_PACKETS} packets: a report covering {@code n} new packets of
 * which {@code l} were newly lost moves the ratio towards {@code l / n} with weight
 * {@code 1 - (1 - 1/256)^n}. The first report sets it to {@code l / n}. An outage of the link
 * ({@link #pause} to {@link #resumeAt}) is left out of the ratio: what it lost says nothing about
 * the link once it is back.
 *
 * <p><b>Threading.</b> {@link #report} and {@link #reset} are called from one writer thread; the
 * getters are safe from any thread (volatile fields).
 */
public final class LossEstimator {
    /** The time constant of {@link #lossRatio()}, in packets. */
    public static final int RATIO_WINDOW_PACKETS = 256;

    private static final double KEEP_PER_PACKET = 1.0 - 1.0 / RATIO_WINDOW_PACKETS;

    private long lastSent;
    private long lastReceived;
    private boolean hasReport;
    /** Between {@link #pause} and the report that covers the outage: the ratio is left alone. */
    private volatile boolean paused;
    /** While paused: the packets ({@code highest + 1}) a report must cover to end the pause. */
    private long resumeSent = Long.MAX_VALUE;
    private volatile long lostPackets;
    private volatile double lossRatio;
    private volatile long ignoredReports;

    /** Creates an estimator that has seen no report. */
    public LossEstimator() {
    }

    /**
     * Takes one receive report from the peer; writer thread only.
     *
     * @param highestSeqReceived the highest sequence number of ours the peer received, or -1 for none
     * @param packetsReceivedTotal the peer's cumulative count of our packets received
     */
    public void report(long highestSeqReceived, long packetsReceivedTotal) {
        report(highestSeqReceived, packetsReceivedTotal, 0);
    }

    /**
     * Takes one receive report from the peer, discounting datagrams this side never got onto the
     * wire; writer thread only. A datagram the local system refused to send (a full socket send
     * buffer under a flood) has used its sequence number, so the peer sees it missing; it says
     * nothing about the link, and counted as loss it could turn a healthy link {@code LOSSY}.
     *
     * @param highestSeqReceived the highest sequence number of ours the peer received, or -1 for none
     * @param packetsReceivedTotal the peer's cumulative count of our packets received
     * @param refusedLocallyTotal datagrams of this session the local system refused to send so
     *     far, cumulative and never decreasing; counted as neither sent nor lost
     */
    public void report(long highestSeqReceived, long packetsReceivedTotal, long refusedLocallyTotal) {
        if (refusedLocallyTotal < 0) {
            ignoredReports = ignoredReports + 1;
            return;
        }
        // Refused datagrams are taken as delivered: they cannot be told from the peer's count,
        // and the (few) refused after the reported highest only hide as many real losses.
        packetsReceivedTotal += refusedLocallyTotal;
        if (highestSeqReceived < -1 || highestSeqReceived == Long.MAX_VALUE || packetsReceivedTotal < 0
                || highestSeqReceived < lastSent - 1 || packetsReceivedTotal < lastReceived) {
            ignoredReports = ignoredReports + 1;
            return;
        }
        long sent = highestSeqReceived + 1;
        long newPackets = sent - lastSent;
        long missing = Math.max(0, sent - packetsReceivedTotal);
        long newlyLost = Math.max(0, missing - lostPackets);
        lastSent = sent;
        lastReceived = packetsReceivedTotal;
        if (newlyLost > 0) {
            lostPackets = missing;
        }
        if (paused) {
            // Reports during an outage, and the first one that covers all of it, count their
            // losses above but say nothing about the link now. "Shows new packets" is not enough:
            // the peer's first report after the heal may cover only a packet sent just before the
            // outage, and the next one then all of the outage.
            if (sent >= resumeSent) {
                paused = false;
                resumeSent = Long.MAX_VALUE;
            }
            return;
        }
        if (newPackets == 0) {
            return;
        }
        double recent = (double) newlyLost / newPackets;
        if (!hasReport) {
            hasReport = true;
            lossRatio = recent;
        } else {
            double keep = Math.pow(KEEP_PER_PACKET, newPackets);
            lossRatio = keep * lossRatio + (1 - keep) * recent;
        }
    }

    /** Packets lost since the session started (the most ever missing at one report); any thread. */
    public long lostPackets() {
        return lostPackets;
    }

    /** Recent loss, 0 to 1, smoothed over about {@value #RATIO_WINDOW_PACKETS} packets; any thread. */
    public double lossRatio() {
        return lossRatio;
    }

    /** Reports ignored as malformed or older than the previous one; any thread. */
    public long ignoredReports() {
        return ignoredReports;
    }

    /**
     * An outage began (the link turned suspect or went down): from now on reports still add their
     * missing packets to {@link #lostPackets()}, but {@link #lossRatio()} keeps its value from
     * before the outage until {@link #resumeAt} says where the outage ended and a report covers
     * that point. Writer thread only.
     */
    public void pause() {
        paused = true;
        resumeSent = Long.MAX_VALUE;
    }

    /**
     * The outage ended: the link is healthy again from sequence {@code firstSequence} on (the
     * first packet sent after the heal). The first report acknowledging a sequence at or above
     * {@code firstSequence - 1} covers every packet of the outage; the ratio carries on from its
     * value before the outage with the reports after that one. Does nothing when not paused.
     * Writer thread only.
     *
     * @param firstSequence the first sequence number sent since the link is healthy again, {@code >= 0}
     */
    public void resumeAt(long firstSequence) {
        if (paused) {
            resumeSent = Math.max(0, firstSequence);
            if (lastSent >= resumeSent) {
                // Already covered by a report (nothing was sent since the last one): over now.
                paused = false;
                resumeSent = Long.MAX_VALUE;
            }
        }
    }

    /** True between {@link #pause} and the report that covers the outage; any thread. */
    public boolean paused() {
        return paused;
    }

    /** Forgets every report, for a new session whose sequences start again at 0; writer thread only. */
    public void reset() {
        lastSent = 0;
        lastReceived = 0;
        hasReport = false;
        paused = false;
        resumeSent = Long.MAX_VALUE;
        lostPackets = 0;
        lossRatio = 0;
        ignoredReports = 0;
    }
}
