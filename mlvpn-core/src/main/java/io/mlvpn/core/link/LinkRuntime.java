package io.mlvpn.core.link;

import io.mlvpn.api.Link;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.scheduler.LinkView;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.loop.Clock;
import io.mlvpn.core.measure.LossEstimator;
import io.mlvpn.core.measure.RateEstimator;
import io.mlvpn.core.measure.RttEstimator;
import io.mlvpn.core.metrics.LinkCounters;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.Stamps;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one link: its socket, peer, state, measurements and counters.
 *
 * <p>Ownership: {@code state}, {@link #probe} and the keepalive times belong to the timer thread;
 * estimators fed by the peer and the echo stamp to the link's receiver thread; the
 * {@link #counters} are atomic (see {@link LinkCounters}). Other threads read volatile snapshots.
 */
public final class LinkRuntime implements Link, LinkView {
    /** The peer's stamp sits above 47 bits of receive time, so a packed value is never negative. */
    private static final int STAMP_SHIFT = 47;
    private static final long STAMP_TIME_MASK = (1L << STAMP_SHIFT) - 1;
    /**
     * First wait before a socket that failed (sends throwing: an address gone, a broken socket) is
     * opened again; it doubles up to {@link #SOCKET_RETRY_MAX_NANOS} while the new socket fails
     * before the link comes up, so a lasting fault costs a few tries, not one per tick.
     */
    public static final long SOCKET_RETRY_START_NANOS = 100_000_000L;
    /** Longest wait before a failed socket is opened again. */
    public static final long SOCKET_RETRY_MAX_NANOS = 10_000_000_000L;

    public final int index;
    /** Replaced by a reload (timer thread); read anywhere. */
    public volatile LinkConfig config;
    public volatile long timeoutNanos;
    public final ProbeSchedule probe = new ProbeSchedule();
    /** The largest datagram received lately; written by the receiver thread. */
    public final LargestDatagram largestReceived = new LargestDatagram();
    /** The largest datagram the peer says it received lately; receiver thread to timer. */
    public final PeerSizeReports peerSizes = new PeerSizeReports();
    public final LinkQuality quality = new LinkQuality();
    public final RttEstimator rtt = new RttEstimator();
    public final LossEstimator loss = new LossEstimator();
    public final RateEstimator txRate;
    public final RateEstimator rxRate;
    private final Clock clock;

    public volatile LinkState state = LinkState.DOWN;
    public volatile String stateReason = "not started";
    public volatile long stateChangedMillis;
    public volatile DatagramTransport transport;
    public volatile InetSocketAddress peer;
    public volatile long lastAuthNanos;
    public volatile long lastReceiveMillis;
    public volatile boolean replyRequested;
    /**
     * The link's latest outage, for its loss ratio: set by the timer when one begins and again
     * when it ends, applied by the receiver with the next report (null: none yet).
     */
    private volatile Outage outage;
    /** The last {@link #outage} the receiver applied to {@link #loss}; receiver thread. */
    private Outage appliedOutage;
    /** Set by the receiver when data arrived since the last keepalive: the timer acknowledges it soon. */
    public volatile boolean rxDataSinceAck;
    /**
     * When the first data packet sent since the peer last acknowledged new packets on this link
     * left (0: none): the link is silent while carrying data when this gets old. Only the peer's
     * report counts as an answer, not any datagram from it: when only this side's sends fail
     * (a one-way fault), the peer's own traffic still arrives but acknowledges nothing.
     */
    public volatile long unansweredSinceNanos;
    /**
     * When the peer's report last acknowledged a packet of ours it had not acknowledged before
     * (0: never): the proof that what this link sends arrives. Receiver thread writes.
     */
    public volatile long lastAckNanos;
    /** When the link last went down: coming back needs a datagram authenticated after it. */
    public volatile long downAtNanos;
    public volatile boolean peerDisconnected;
    public volatile String socketFailure;
    private volatile long peerStampPacked = -1;

    // Receiver thread: what the peer's packets under the current session looked like, for reports.
    public volatile LinkSession reportSession;
    public volatile long reportPackets;
    public volatile long reportBytes;
    public volatile long reportHighest = -1;
    /** Highest of our sequences the peer reported receiving on this link, in {@link #ackedSession}. */
    public volatile long ackedSequence = -1;
    public volatile LinkSession ackedSession;
    /** Bumped by the timer when the link turns suspect: the device reader rescues its unacknowledged packets. */
    public volatile int rescueRequests;
    private LinkSession lossSession;
    /** Least traffic a report must cover to update the delivery rate. */
    public static final long MIN_RATE_SAMPLE_BYTES = 16 * 1024;
    /** Longest report interval that yields a delivery-rate sample. */
    public static final long MAX_RATE_SAMPLE_NANOS = 100_000_000L;
    private long lastReportBytes = -1;
    private long lastReportNanos;
    private volatile long deliveryRateBits;
    /** Session the send-side byte count below belongs to (senders reset it when it changes). */
    private volatile LinkSession txSession;
    /** Datagrams of {@link #refusedSession} the transport refused to send; device-reader thread writes. */
    private volatile long refusedSends;
    private volatile LinkSession refusedSession;
    private final AtomicLong txSessionBytes = new AtomicLong();
    private volatile long reportedBytes;

    public final LinkCounters counters = new LinkCounters();

    // Timer thread.
    /** This link's path-MTU search while it is connected to a peer that reports sizes, else null. */
    public PathMtuProber pathMtuProber;
    /** The largest datagram the link may send, as probed; 0 while not probed. Read anywhere. */
    public volatile int pathMtu;
    public long lastKeepaliveNanos;
    public long lastReplyNanos;
    public boolean everUp;
    public long nextOpenNanos;
    public long openBackoffNanos = ProbeSchedule.BACKOFF_START_NANOS;
    /** Session and first sequence of the link's last outage (see {@link #answeredSinceOutage}). */
    private LinkSession outageSession;
    private long outageSequence;
    /** Wait before reopening a socket that failed; doubles while failures repeat, reset once up. */
    public long socketFailureBackoffNanos = SOCKET_RETRY_START_NANOS;

    public LinkRuntime(int index, LinkConfig config, long timeoutNanos, Clock clock) {
        this.index = index;
        this.config = config;
        this.timeoutNanos = timeoutNanos;
        this.clock = clock;
        this.txRate = new RateEstimator(clock);
        this.rxRate = new RateEstimator(clock);
    }

    // ---- receiver thread ----

    /** Records an authenticated datagram (sequence {@code seq}, {@code bytes} long) under session {@code s}. */
    public void received(LinkSession s, LinkSession current, long seq, int bytes, int stamp, int echo, long nowNanos) {
        counters.rxPackets.incrementAndGet();
        counters.rxBytes.addAndGet(bytes);
        rxRate.record(bytes);
        lastAuthNanos = nowNanos;
        lastReceiveMillis = clock.currentTimeMillis();
        peerStampPacked = ((long) stamp << STAMP_SHIFT) | (nowNanos & STAMP_TIME_MASK);
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

    /** The peer's receive report, sealed under session {@code s}, arriving at {@code now}. */
    public void report(LinkSession s, long highestSequence, long packetsReceived, long bytesReceived, long nowNanos) {
        if (lossSession != s) {
            lossSession = s;
            loss.reset();
            lastReportBytes = -1;
        }
        Outage o = outage;
        if (o != null && o != appliedOutage) {
            if (appliedOutage == null || appliedOutage.id != o.id) {
                loss.pause();
            }
            if (o.resumeSequence >= 0) {
                // A heal under another session: this one's sequences have nothing to wait for.
                loss.resumeAt(o.session == s ? o.resumeSequence : 0);
            }
            appliedOutage = o;
        }
        LinkSession refusedIn = refusedSession;
        loss.report(highestSequence, packetsReceived, refusedIn == s ? refusedSends : 0);
        if (highestSequence >= 0 && (ackedSession != s || highestSequence > ackedSequence)) {
            ackedSession = s;
            ackedSequence = highestSequence;
            lastAckNanos = nowNanos;
            unansweredSinceNanos = 0;
        }
        if (s == txSession) {
            reportedBytes = bytesReceived;
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

    // ---- timer thread ----

    /**
     * An outage began (the link turned suspect or went down): what the peer reports missing from
     * now until it is healthy again is the outage's, not the link's loss rate.
     */
    public void outageBegins(LinkSession s) {
        Outage o = outage;
        outage = new Outage(o == null ? 1 : o.id + 1, null, -1);
        outageSession = s;
        outageSequence = s == null ? 0 : s.sequencesSent(index);
    }

    /**
     * Whether the peer has acknowledged, under session {@code s}, a packet this link sent since its
     * last outage began: the proof that its sends get through again. Under a session newer than the
     * outage any acknowledgement is.
     */
    public boolean answeredSinceOutage(LinkSession s) {
        if (s == null || ackedSession != s) {
            return false;
        }
        return outageSession != s || ackedSequence >= outageSequence;
    }

    /**
     * The link is healthy again under session {@code s}: the packets it sends from now on measure
     * its loss again. Does nothing when no outage is under way.
     */
    public void outageEnds(LinkSession s) {
        Outage o = outage;
        if (o != null && o.resumeSequence < 0) {
            outage = new Outage(o.id, s, s == null ? 0 : s.sequencesSent(index));
        }
    }

    /**
     * One outage of the link: {@code id} counts outages; {@code resumeSequence} is the first
     * sequence sent under {@code session} once it was healthy again, -1 while it lasts. Made on a
     * state change only, never per packet.
     */
    private static final class Outage {
        final int id;
        final LinkSession session;
        final long resumeSequence;

        Outage(int id, LinkSession session, long resumeSequence) {
            this.id = id;
            this.session = session;
            this.resumeSequence = resumeSequence;
        }
    }

    // ---- any sending thread ----

    /** The echo field for a packet sent now. */
    public int echo(long nowNanos) {
        long packed = peerStampPacked;
        if (packed < 0) {
            return Header.NO_ECHO;
        }
        int stamp = (int) (packed >>> STAMP_SHIFT);
        long heldNanos = (nowNanos - packed) & STAMP_TIME_MASK;
        return Stamps.echo(stamp, 0, heldNanos, true);
    }

    /**
     * Counts datagrams sealed under {@code s} that the transport refused to send (device-reader
     * thread only): their sequence numbers are used, so the peer will report them missing, but
     * they are not the link's loss.
     */
    public void refused(LinkSession s, int count) {
        if (s == null || count <= 0) {
            return;
        }
        if (refusedSession != s) {
            refusedSends = 0;
            refusedSession = s;
        }
        refusedSends = refusedSends + count;
    }

    public void sent(LinkSession s, int bytes) {
        counters.txPackets.incrementAndGet();
        counters.txBytes.addAndGet(bytes);
        if (s != null) {
            if (txSession != s) {
                txSession = s;
                txSessionBytes.set(0);
                reportedBytes = 0;
            }
            txSessionBytes.addAndGet(bytes);
        }
    }

    /** Forgets what was measured about the peer (a new session, or the link went down). */
    public void resetPeerState() {
        peerStampPacked = -1;
    }

    // ---- Link and LinkView ----

    @Override
    public int index() {
        return index;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public LinkConfig config() {
        return config;
    }

    @Override
    public LinkState state() {
        return state;
    }

    @Override
    public int pathMtu() {
        return pathMtu;
    }

    @Override
    public long configuredUploadBitsPerSecond() {
        return config.uploadBitsPerSecond();
    }

    @Override
    public long srttMicros() {
        return rtt.srttMicros();
    }

    @Override
    public long minRttMicros() {
        return rtt.minRttMicros();
    }

    @Override
    public long rttVarMicros() {
        return rtt.rttVarMicros();
    }

    @Override
    public double lossRatio() {
        return loss.lossRatio();
    }

    @Override
    public long txBytes() {
        return counters.txBytes.get();
    }

    @Override
    public boolean fallbackOnly() {
        return config.fallbackOnly();
    }

    @Override
    public long deliveryRateBitsPerSecond() {
        return deliveryRateBits;
    }

    @Override
    public long inFlightBytes() {
        return Math.max(0, txSessionBytes.get() - reportedBytes);
    }

    @Override
    public LinkStats stats() {
        InetSocketAddress p = peer;
        LinkCounters c = counters;
        return new LinkStats(name(), state, rtt.srttMicros(), rtt.rttVarMicros(), loss.lossRatio(),
                c.txPackets.get(), c.txBytes.get(), c.txRefused.get(), c.rxPackets.get(), c.rxBytes.get(),
                txRate.bitsPerSecond(), rxRate.bitsPerSecond(), loss.lostPackets(), c.dropsAuth.get(),
                c.dropsReplay.get(), c.dropsMalformed.get(), c.downTransitions.get(), lastReceiveMillis,
                p == null ? "" : p.getHostString() + ":" + p.getPort(), stateReason, stateChangedMillis,
                deliveryRateBits, inFlightBytes(), c.rescuedPackets.get(), rttHistogram(), rtt.sampleSumMicros(),
                rtt.minRttMicros(), receiveBufferDrops(), pathMtu);
    }

    /** What the current socket's kernel receive buffer dropped, -1 when unknown or closed. */
    private long receiveBufferDrops() {
        io.mlvpn.api.transport.DatagramTransport t = transport;
        return t == null ? -1 : t.receiveBufferDrops();
    }

    private java.util.List<Long> rttHistogram() {
        Long[] counts = new Long[RttEstimator.HISTOGRAM_BOUNDS_MICROS.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = rtt.histogramCount(i);
        }
        return java.util.List.of(counts);
    }

    @Override
    public String toString() {
        return "Link[" + name() + ", " + state + "]";
    }
}
