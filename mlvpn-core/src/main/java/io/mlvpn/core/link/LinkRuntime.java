package io.mlvpn.core.link;

import io.mlvpn.api.Clock;
import io.mlvpn.api.Link;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.scheduler.LinkView;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.measure.RttEstimator;
import io.mlvpn.core.metrics.LinkCounters;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.Stamps;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live state of one link: its socket, peer, state, measurements and counters, as every thread
 * reads it. Safe for concurrent use: it only reads (volatile fields, no allocation except
 * {@link #stats()}).
 *
 * <p>Ownership. The state is split by the thread that changes it, and each part is changed only
 * through its own methods: {@link TimerSide} (state machine, socket, probing, path MTU; the timer
 * thread), {@link ReceiveSide} (what the peer's datagrams say; the link's receiver thread) and
 * {@link SendSide} (what the device reader sends; the device-reader thread). This class hands out
 * none of them: {@link #create} gives the {@link TimerSide} to whoever manages the link set, which
 * hands the {@link ReceiveSide} to each receiver it starts, and {@link LinkArray} carries the
 * {@link SendSide}s to the device reader.
 *
 * <p>Four things are written by several threads, each through the methods of the parts that may
 * write it, and are atomic: the {@link LinkCounters} (see there); the socket failure, which any
 * thread that sees the socket fail reports and the timer takes; the send accounting behind
 * {@link #inFlightBytes()} (the device reader's data and the timer's keepalives both count); and
 * {@link #unansweredSinceNanos()}, set by the device reader's first send after an answer, cleared
 * by the receiver's answer and by the timer when the link goes down.
 */
public final class LinkRuntime implements Link, LinkView {
    /** The peer's stamp sits above 47 bits of receive time, so a packed value is never negative. */
    static final int STAMP_SHIFT = 47;
    static final long STAMP_TIME_MASK = (1L << STAMP_SHIFT) - 1;
    /**
     * First wait before a socket that failed (sends throwing: an address gone, a broken socket) is
     * opened again; it doubles up to {@link #SOCKET_RETRY_MAX_NANOS} while the new socket fails
     * before the link comes up, so a lasting fault costs a few tries, not one per tick.
     */
    public static final long SOCKET_RETRY_START_NANOS = 100_000_000L;
    /** Longest wait before a failed socket is opened again. */
    public static final long SOCKET_RETRY_MAX_NANOS = 10_000_000_000L;

    private final int index;
    private final Clock clock;
    private final LinkCounters counters = new LinkCounters();
    private final TimerSide timer;
    private final ReceiveSide receive;
    private final SendSide send;

    // Shared by several threads, each through its part's methods (see the class comment).
    /** The latest socket failure not yet taken by the timer, or null. */
    private final AtomicReference<String> socketFailure = new AtomicReference<>();
    /**
     * When the first data packet sent since the peer last acknowledged new packets on this link
     * left (0: none): the link is silent while carrying data when this gets old. Only the peer's
     * report counts as an answer, not any datagram from it: when only this side's sends fail
     * (a one-way fault), the peer's own traffic still arrives but acknowledges nothing.
     */
    private final AtomicLong unansweredSinceNanos = new AtomicLong();
    /** Session the send-side byte count below belongs to (senders reset it when it changes). */
    private volatile LinkSession txSession;
    private final AtomicLong txSessionBytes = new AtomicLong();

    private LinkRuntime(int index, LinkConfig config, long timeoutNanos, Clock clock) {
        this.index = index;
        this.clock = clock;
        this.timer = new TimerSide(this, config, timeoutNanos);
        this.receive = new ReceiveSide(this, clock);
        this.send = new SendSide(this, clock);
    }

    /**
     * Makes a link and returns its timer side: the handle of whoever manages the link set (the
     * tunnel's builder before its threads start, then the timer thread).
     */
    public static TimerSide create(int index, LinkConfig config, long timeoutNanos, Clock clock) {
        return new LinkRuntime(index, config, timeoutNanos, clock).timer;
    }

    TimerSide timer() {
        return timer;
    }

    ReceiveSide receive() {
        return receive;
    }

    SendSide send() {
        return send;
    }

    Clock clock() {
        return clock;
    }

    /** The link's counters; package-private so only the parts bump them. */
    LinkCounters counters() {
        return counters;
    }

    // ---- shared, through the parts ----

    void reportSocketFailure(String failure) {
        socketFailure.set(failure);
    }

    String takeSocketFailure() {
        return socketFailure.getAndSet(null);
    }

    /** Data left at {@code now}: it waits for an answer from now unless older data already does. */
    void dataSent(long nowNanos) {
        // Offered, not only accepted: sends the socket refuses (an interface down, no route) get
        // no answer either, and the link must turn suspect as a silent one does.
        if (unansweredSinceNanos.get() == 0) {
            unansweredSinceNanos.compareAndSet(0, nowNanos);
        }
    }

    /** Nothing sent waits for an answer any more: the peer acknowledged, or the link went down. */
    void nothingUnanswered() {
        unansweredSinceNanos.set(0);
    }

    /** Counts a datagram the transport accepted, sealed under {@code s} (null: a handshake). */
    void sent(LinkSession s, int bytes) {
        counters.txPackets.incrementAndGet();
        counters.txBytes.addAndGet(bytes);
        if (s != null) {
            if (txSession != s) {
                txSession = s;
                txSessionBytes.set(0);
            }
            txSessionBytes.addAndGet(bytes);
        }
    }

    LinkSession txSession() {
        return txSession;
    }

    // ---- read anywhere ----

    /** The transport the link sends and receives on, or null while its socket is closed. */
    public DatagramTransport transport() {
        return timer.transport();
    }

    /**
     * Where the link sends, or null while unknown: the resolved server address (client), or the
     * source of the peer's latest authenticated datagram (server).
     */
    public InetSocketAddress peer() {
        InetSocketAddress followed = receive.followedPeer();
        return followed != null ? followed : timer.resolvedPeer();
    }

    /** How long the link may stay silent before it is down. */
    public long timeoutNanos() {
        return timer.timeoutNanos();
    }

    /** When the last authenticated datagram arrived (0: none yet). */
    public long lastAuthNanos() {
        return receive.lastAuthNanos();
    }

    /** When the peer's report last acknowledged a packet of ours it had not before (0: never). */
    public long lastAckNanos() {
        return receive.lastAckNanos();
    }

    /** See the field comment: when data began to wait for an answer, 0 when none waits. */
    public long unansweredSinceNanos() {
        return unansweredSinceNanos.get();
    }

    /** The highest of our sequences the peer acknowledged on this link under {@code s}; -1: none. */
    public long ackedSequence(LinkSession s) {
        return receive.ackedSequence(s);
    }

    /** Bumped by the timer each time the link turns suspect: the device reader rescues then. */
    public int rescueRequests() {
        return timer.rescueRequests();
    }

    /** RTT samples taken so far. */
    public long rttSamples() {
        return receive.rtt().samples();
    }

    /** Whether any RTT sample was taken. */
    public boolean hasRttSample() {
        return receive.rtt().hasSample();
    }

    /** The echo field for a packet sent now. */
    public int echo(long nowNanos) {
        return receive.echo(nowNanos);
    }

    /**
     * Writes the link's extended receive report for a keepalive under {@code s} at
     * {@code offset}: what arrived under {@code s} (nothing when the report is of another
     * session), and the largest datagram received lately.
     */
    public void writeReport(byte[] b, int offset, LinkSession s, long nowNanos) {
        receive.writeReport(b, offset, s, nowNanos);
    }

    // ---- Link and LinkView ----

    @Override
    public int index() {
        return index;
    }

    @Override
    public String name() {
        return timer.config().name();
    }

    @Override
    public LinkConfig config() {
        return timer.config();
    }

    @Override
    public LinkState state() {
        return timer.state();
    }

    @Override
    public int pathMtu() {
        return timer.pathMtu();
    }

    @Override
    public long configuredUploadBitsPerSecond() {
        return timer.config().uploadBitsPerSecond();
    }

    @Override
    public long srttMicros() {
        return receive.rtt().srttMicros();
    }

    @Override
    public long minRttMicros() {
        return receive.rtt().minRttMicros();
    }

    @Override
    public long rttVarMicros() {
        return receive.rtt().rttVarMicros();
    }

    @Override
    public double lossRatio() {
        return receive.loss().lossRatio();
    }

    @Override
    public long txBytes() {
        return counters.txBytes.get();
    }

    @Override
    public boolean fallbackOnly() {
        return timer.config().fallbackOnly();
    }

    @Override
    public long deliveryRateBitsPerSecond() {
        return receive.deliveryRateBits();
    }

    @Override
    public long inFlightBytes() {
        LinkSession tx = txSession;
        long sent = txSessionBytes.get();
        return Math.max(0, sent - receive.reportedBytes(tx));
    }

    @Override
    public LinkStats stats() {
        InetSocketAddress p = peer();
        LinkCounters c = counters;
        RttEstimator rtt = receive.rtt();
        LinkState state = timer.state();
        return new LinkStats(name(), state, rtt.srttMicros(), rtt.rttVarMicros(), receive.loss().lossRatio(),
                c.txPackets.get(), c.txBytes.get(), c.txRefused.get(), c.rxPackets.get(), c.rxBytes.get(),
                send.txRate().bitsPerSecond(), receive.rxRate().bitsPerSecond(), receive.loss().lostPackets(),
                c.dropsAuth.get(), c.dropsReplay.get(), c.dropsMalformed.get(), c.downTransitions.get(),
                receive.lastReceiveMillis(), p == null ? "" : p.getHostString() + ":" + p.getPort(),
                timer.stateReason(), timer.stateChangedMillis(), receive.deliveryRateBits(), inFlightBytes(),
                c.rescuedPackets.get(), rttHistogram(rtt), rtt.sampleSumMicros(), rtt.minRttMicros(),
                receiveBufferDrops(), timer.pathMtu());
    }

    /** What the current socket's kernel receive buffer dropped, -1 when unknown or closed. */
    private long receiveBufferDrops() {
        DatagramTransport t = transport();
        return t == null ? -1 : t.receiveBufferDrops();
    }

    private static List<Long> rttHistogram(RttEstimator rtt) {
        Long[] counts = new Long[RttEstimator.HISTOGRAM_BOUNDS_MICROS.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = rtt.histogramCount(i);
        }
        return List.of(counts);
    }

    @Override
    public String toString() {
        return "Link[" + name() + ", " + state() + "]";
    }

    /** The echo of a packed peer stamp at {@code now}, or no echo. */
    static int echoOf(long packed, long nowNanos) {
        if (packed < 0) {
            return Header.NO_ECHO;
        }
        int stamp = (int) (packed >>> STAMP_SHIFT);
        long heldNanos = (nowNanos - packed) & STAMP_TIME_MASK;
        return Stamps.echo(stamp, 0, heldNanos, true);
    }
}
