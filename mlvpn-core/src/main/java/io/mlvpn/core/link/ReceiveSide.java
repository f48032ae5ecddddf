package io.mlvpn.core.link;

import io.mlvpn.api.Clock;
import io.mlvpn.core.measure.LossEstimator;
import io.mlvpn.core.measure.RateEstimator;
import io.mlvpn.core.measure.RttEstimator;
import io.mlvpn.core.metrics.LinkCounters;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.ReceiveReport;
import io.mlvpn.core.wire.Stamps;
import java.net.InetSocketAddress;

/**
 * What a link's receiver thread learns from the peer's datagrams: when it last heard it, the
 * round-trip, loss and delivery-rate estimates, what the peer acknowledged, what it received
 * (for this side's reports), the peer's address as followed by a server, and the requests it
 * passes to the timer (an answer asked for, data to acknowledge, a disconnect).
 *
 * <p>Receiver thread of the link only: the timer hands this part to each receiver it starts
 * ({@link TimerSide#opened}). When a socket is reopened, the old receiver may finish the batch in
 * hand while the new one starts; the estimators and counters it feeds tolerate that moment.
 * Everyone else reads through {@link LinkRuntime}. Requests to the timer are counters this side
 * bumps and the timer compares with the count it last took, so each field keeps one writer; the
 * timer's request to forget the peer's stamp (the link went down) is applied here with the next
 * datagram and, until then, withholds the echo. Shared with other threads, atomically (see
 * {@link LinkRuntime}): a new acknowledgement clears the unanswered-data time, a receive failure
 * is reported as the socket failure, and handshake answers count as sent.
 */
public final class ReceiveSide {
    /** Least traffic a report must cover to update the delivery rate. */
    static final long MIN_RATE_SAMPLE_BYTES = 16 * 1024;
    /** Longest report interval that yields a delivery-rate sample. */
    static final long MAX_RATE_SAMPLE_NANOS = 100_000_000L;

    private final LinkRuntime link;
    private final Clock clock;
    private final RttEstimator rtt = new RttEstimator();
    private final LossEstimator loss = new LossEstimator();
    private final RateEstimator rxRate;
    /** The largest datagram received lately. */
    private final LargestDatagram largestReceived = new LargestDatagram();
    /** The largest datagram the peer says it received lately, posted here, taken by the timer. */
    private final PeerSizeReports peerSizes = new PeerSizeReports();

    private volatile long lastAuthNanos;
    private volatile long lastReceiveMillis;
    /** Server: the source of the peer's latest authenticated datagram, null before one. */
    private volatile InetSocketAddress followedPeer;
    /** The peer's latest stamp and when it came, packed (see {@link LinkRuntime#echoOf}); -1: none. */
    private volatile long peerStampPacked = -1;
    /** The timer's {@link TimerSide#peerResets()} count this side last applied to the stamp. */
    private volatile int peerResetsApplied;

    // What the peer's packets under the current session looked like, for this side's reports.
    private volatile LinkSession reportSession;
    private volatile long reportPackets;
    private volatile long reportBytes;
    private volatile long reportHighest = -1;

    /** Highest of our sequences the peer reported receiving on this link, in {@link #ackedSession}. */
    private volatile long ackedSequence = -1;
    private volatile LinkSession ackedSession;
    /**
     * When the peer's report last acknowledged a packet of ours it had not acknowledged before
     * (0: never): the proof that what this link sends arrives.
     */
    private volatile long lastAckNanos;
    private volatile long deliveryRateBits;
    /** The peer's bytes-received count under {@link #reportedSession}, for the in-flight bytes. */
    private volatile long reportedBytes;
    private volatile LinkSession reportedSession;

    // Requests to the timer: counts it compares with what it took last.
    private volatile int replyRequests;
    private volatile int disconnects;
    private volatile long dataPackets;

    // Receiver only.
    private LinkSession lossSession;
    /** The last outage the timer announced that this side applied to {@link #loss}. */
    private TimerSide.Outage appliedOutage;
    private long lastReportBytes = -1;
    private long lastReportNanos;

    ReceiveSide(LinkRuntime link, Clock clock) {
        this.link = link;
        this.clock = clock;
        this.rxRate = new RateEstimator(clock);
    }

    /** The link, read-only. */
    public LinkRuntime link() {
        return link;
    }

    /**
     * The link's counters, for the drops this thread counts (atomic: the counters are shared, see
     * {@link LinkCounters}).
     */
    public LinkCounters counters() {
        return link.counters();
    }

    /**
     * Records an authenticated datagram (sequence {@code seq}, {@code bytes} long) under session
     * {@code s}, {@code current} being the tunnel's current session.
     */
    public void received(LinkSession s, LinkSession current, long seq, int bytes, int stamp, int echo,
            long nowNanos) {
        LinkCounters counters = link.counters();
        counters.rxPackets.incrementAndGet();
        counters.rxBytes.addAndGet(bytes);
        rxRate.record(bytes);
        lastAuthNanos = nowNanos;
        lastReceiveMillis = clock.currentTimeMillis();
        int resets = link.timer().peerResets();
        peerStampPacked = ((long) stamp << LinkRuntime.STAMP_SHIFT) | (nowNanos & LinkRuntime.STAMP_TIME_MASK);
        if (resets != peerResetsApplied) {
            // After the stamp: a sender that sees the reset applied sees this stamp too.
            peerResetsApplied = resets;
        }
        if (s == current) {
            if (reportSession != s) {
                reportSession = s;
                reportPackets = 0;
                reportBytes = 0;
                reportHighest = -1;
            }
            if (seq > reportHighest) {
                reportHighest = seq;
            }
            reportPackets = reportPackets + 1;
            reportBytes = reportBytes + bytes;
        }
        long sample = Stamps.rttMicros(echo, nowNanos);
        if (sample >= 0) {
            rtt.sample(sample);
        }
    }

    /** An authenticated datagram of {@code length} bytes arrived at {@code now}. */
    public void largestDatagram(int length, long nowNanos) {
        largestReceived.record(length, nowNanos);
    }

    /** The peer's receive report, sealed under session {@code s}, arriving at {@code now}. */
    public void report(LinkSession s, long highestSequence, long packetsReceived, long bytesReceived, long nowNanos) {
        if (lossSession != s) {
            lossSession = s;
            loss.reset();
            lastReportBytes = -1;
        }
        TimerSide.Outage o = link.timer().outage();
        if (o != null && o != appliedOutage) {
            if (appliedOutage == null || appliedOutage.id() != o.id()) {
                loss.pause();
            }
            if (o.resumeSequence() >= 0) {
                // A heal under another session: this one's sequences have nothing to wait for.
                loss.resumeAt(o.session() == s ? o.resumeSequence() : 0);
            }
            appliedOutage = o;
        }
        loss.report(highestSequence, packetsReceived, link.send().refusedIn(s));
        if (highestSequence >= 0 && (ackedSession != s || highestSequence > ackedSequence)) {
            ackedSession = s;
            ackedSequence = highestSequence;
            lastAckNanos = nowNanos;
            link.nothingUnanswered();
        }
        if (s == link.txSession()) {
            // The bytes before the session: a reader that sees this session sees these bytes.
            reportedBytes = bytesReceived;
            reportedSession = s;
        }
        // Only reports that cover real traffic over a short interval (the peer acknowledges a
        // busy link every few tens of ms) move the estimate: an idle spell must not make the link
        // look slow, since pacing and the adaptive scheduler read this rate.
        long interval = nowNanos - lastReportNanos;
        if (lastReportBytes >= 0 && interval > 0 && interval <= MAX_RATE_SAMPLE_NANOS
                && bytesReceived - lastReportBytes >= MIN_RATE_SAMPLE_BYTES) {
            long rate = (bytesReceived - lastReportBytes) * 8_000_000_000L / (nowNanos - lastReportNanos);
            long prev = deliveryRateBits;
            // Smoothed over a few reports: one late keepalive must not halve the estimate.
            deliveryRateBits = prev == 0 ? rate : (3 * prev + rate) / 4;
        }
        lastReportBytes = bytesReceived;
        lastReportNanos = nowNanos;
    }

    /** The peer reported the largest datagram it received lately: {@code largest} bytes. */
    public void peerReportedSize(int largest) {
        peerSizes.post(largest);
    }

    /** A data packet arrived: the timer acknowledges it soon. */
    public void dataArrived() {
        dataPackets = dataPackets + 1;
    }

    /** The peer asked for an answer at once. */
    public void replyRequested() {
        replyRequests = replyRequests + 1;
    }

    /** The peer said it disconnects the link. */
    public void peerDisconnected() {
        disconnects = disconnects + 1;
    }

    /**
     * Server: the peer's authenticated datagram came from {@code source}; returns true when that
     * moved the link's peer address.
     */
    public boolean followPeer(InetSocketAddress source) {
        if (source != null && !source.equals(link.peer())) {
            followedPeer = source;
            return true;
        }
        return false;
    }

    /** The link's socket failed on this thread (receives, or a handshake answer it sent). */
    public void socketFailed(String failure) {
        link.reportSocketFailure(failure);
    }

    /** Counts a handshake datagram of {@code bytes} this thread sent on the link. */
    public void sentHandshake(int bytes) {
        link.sent(null, bytes);
    }

    // ---- read by the link and the other parts ----

    RttEstimator rtt() {
        return rtt;
    }

    LossEstimator loss() {
        return loss;
    }

    RateEstimator rxRate() {
        return rxRate;
    }

    PeerSizeReports peerSizes() {
        return peerSizes;
    }

    long lastAuthNanos() {
        return lastAuthNanos;
    }

    long lastReceiveMillis() {
        return lastReceiveMillis;
    }

    long lastAckNanos() {
        return lastAckNanos;
    }

    InetSocketAddress followedPeer() {
        return followedPeer;
    }

    long deliveryRateBits() {
        return deliveryRateBits;
    }

    LinkSession ackedSession() {
        return ackedSession;
    }

    long ackedSequence() {
        return ackedSequence;
    }

    long ackedSequence(LinkSession s) {
        LinkSession in = ackedSession;
        long seq = ackedSequence;
        return in == s ? seq : -1;
    }

    /** The peer's bytes-received count under {@code s}, 0 when its last report was of another. */
    long reportedBytes(LinkSession s) {
        LinkSession in = reportedSession;
        return in != null && in == s ? reportedBytes : 0;
    }

    int replyRequests() {
        return replyRequests;
    }

    int disconnects() {
        return disconnects;
    }

    long dataPackets() {
        return dataPackets;
    }

    int echo(long nowNanos) {
        int applied = peerResetsApplied;
        if (applied != link.timer().peerResets()) {
            // The timer forgot the peer (the link went down): no echo until it is heard again.
            return Header.NO_ECHO;
        }
        return LinkRuntime.echoOf(peerStampPacked, nowNanos);
    }

    void writeReport(byte[] b, int offset, LinkSession s, long nowNanos) {
        LinkSession rs = reportSession;
        long highest = -1;
        long packets = 0;
        long bytes = 0;
        if (rs == s) {
            highest = reportHighest;
            packets = reportPackets;
            bytes = reportBytes;
        }
        ReceiveReport.write(b, offset, highest, packets, bytes);
        ReceiveReport.writeLargestDatagram(b, offset, largestReceived.largest(nowNanos));
    }
}
