package io.mlvpn.core.link;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.transport.DatagramTransport;
import java.net.InetSocketAddress;

/**
 * What the timer decides about a link: its configuration, state and why, its socket and when to
 * reopen it, keepalive and probe times, the outage the loss ratio leaves out, the path-MTU search,
 * and the requests it passes to the device reader (rescue) and to every sender (forget the peer's
 * stamp). It also takes the requests the receiver passes to it (see {@link ReceiveSide}).
 *
 * <p>Timer thread only; before the timer starts and after it stopped, the one thread that starts or
 * closes the tunnel. {@link LinkRuntime#create} returns this part to whoever manages the link set,
 * and it hands the link's {@link ReceiveSide} only to a receiver it starts ({@link #opened}).
 * Everyone else reads through {@link LinkRuntime}.
 *
 * <p>Where another thread used to write a timer field, it now asks: the receiver bumps its reply,
 * data and disconnect counts, which this side compares with what it took last; and where the timer
 * used to write the receiver's "last heard" time at a disconnect, it keeps a floor of its own
 * ({@link #forgetHeard}). It asks the others the same way ({@link #rescueRequests()},
 * {@link #peerResets()}). Shared with other threads, atomically (see {@link LinkRuntime}): it takes
 * the socket failure any thread reports, clears the unanswered-data time when the link goes down,
 * and its own sends count in the in-flight bytes.
 */
public final class TimerSide {
    private final LinkRuntime link;
    private final ProbeSchedule probe = new ProbeSchedule();
    private final LinkQuality quality = new LinkQuality();

    private volatile LinkConfig config;
    private volatile long timeoutNanos;
    private volatile LinkState state = LinkState.DOWN;
    private volatile String stateReason = "not started";
    private volatile long stateChangedMillis;
    private volatile DatagramTransport transport;
    /** Client: the server's address for this link as last resolved; null before. */
    private volatile InetSocketAddress resolvedPeer;
    /** The largest datagram the link may send, as probed; 0 while not probed. */
    private volatile int pathMtu;
    /**
     * The link's latest outage, for its loss ratio: set when one begins and again when it ends,
     * applied by the receiver with the next report (null: none yet).
     */
    private volatile Outage outage;
    /** Bumped when the link turns suspect: the device reader rescues its unacknowledged packets. */
    private volatile int rescueRequests;
    /** Bumped when the link goes down: senders send no echo until the peer is heard again. */
    private volatile int peerResets;

    // Timer only.
    /** This link's path-MTU search while it is connected to a peer that reports sizes, else null. */
    private PathMtuProber pathMtuProber;
    private long lastKeepaliveNanos;
    private long lastReplyNanos;
    private boolean everUp;
    private long nextOpenNanos;
    private long openBackoffNanos = ProbeSchedule.BACKOFF_START_NANOS;
    /** Wait before reopening a socket that failed; doubles while failures repeat, reset once up. */
    private long socketFailureBackoffNanos = LinkRuntime.SOCKET_RETRY_START_NANOS;
    /** Session and first sequence of the link's last outage (see {@link #answeredSinceOutage}). */
    private LinkSession outageSession;
    private long outageSequence;
    /** The receiver's request counts as last taken here. */
    private int repliesTaken;
    private int disconnectsTaken;
    private long dataTaken;
    /** Set once the peer disconnected: what was heard up to {@link #heardFloorNanos} is forgotten. */
    private boolean heardFloorSet;
    private long heardFloorNanos;

    TimerSide(LinkRuntime link, LinkConfig config, long timeoutNanos) {
        this.link = link;
        this.config = config;
        this.timeoutNanos = timeoutNanos;
    }

    /** Starts a receiver thread on a link's newly opened transport, handing it the receive side. */
    public interface ReceiverStarter {
        /** Starts the receiver of {@code side}'s link on {@code transport}. */
        void start(ReceiveSide side, DatagramTransport transport);
    }

    /** The link, read-only. */
    public LinkRuntime link() {
        return link;
    }

    /** A reload changed the link's configuration (its socket settings unchanged or reopened). */
    public void reconfigure(LinkConfig next, long nextTimeoutNanos) {
        config = next;
        timeoutNanos = nextTimeoutNanos;
    }

    // ---- socket ----

    /** The socket failure any thread reported since the last call, or null. */
    public String takeSocketFailure() {
        return link.takeSocketFailure();
    }

    /**
     * The socket failed: it is reopened after the failure back-off, which doubles for the next
     * failure (up to {@link LinkRuntime#SOCKET_RETRY_MAX_NANOS}). Returns the wait.
     */
    public long retryAfterSocketFailure(long nowNanos) {
        long wait = socketFailureBackoffNanos;
        nextOpenNanos = nowNanos + wait;
        socketFailureBackoffNanos = Math.min(2 * wait, LinkRuntime.SOCKET_RETRY_MAX_NANOS);
        return wait;
    }

    /** Whether the link's socket, being closed, is due to be opened at {@code now}. */
    public boolean openDue(long nowNanos) {
        return nowNanos - nextOpenNanos >= 0;
    }

    /**
     * The link's socket is open on {@code t} (client: sending to {@code remote}; server: null);
     * starts its receiver through {@code receivers} and probes the peer from {@code now}.
     */
    public void opened(DatagramTransport t, InetSocketAddress remote, long nowNanos, ReceiverStarter receivers) {
        if (remote != null) {
            resolvedPeer = remote;
        }
        transport = t;
        openBackoffNanos = ProbeSchedule.BACKOFF_START_NANOS;
        receivers.start(link.receive(), t);
        probe.down(nowNanos, everUp);
    }

    /** Opening the socket failed: the next try waits the open back-off, returned, which doubles. */
    public long openFailed(long nowNanos) {
        long wait = openBackoffNanos;
        nextOpenNanos = nowNanos + wait;
        openBackoffNanos = Math.min(wait * 2, ProbeSchedule.BACKOFF_MAX_NANOS);
        return wait;
    }

    /** Takes the transport away from the link (its receiver then ends); the caller closes it. */
    public DatagramTransport detachTransport() {
        DatagramTransport t = transport;
        transport = null;
        return t;
    }

    /** The link's socket, closed now, is to be opened again from {@code now}. */
    public void reopenFrom(long nowNanos) {
        nextOpenNanos = nowNanos;
    }

    /** Client: the server's name now resolves to {@code remote}. */
    public void resolved(InetSocketAddress remote) {
        if (!remote.equals(resolvedPeer)) {
            resolvedPeer = remote;
        }
    }

    // ---- requests from the receiver ----

    /** When the peer was last heard, 0 when never or when it disconnected and has not been heard since. */
    public long lastHeardNanos() {
        long heard = link.receive().lastAuthNanos();
        return heardFloorSet && heard - heardFloorNanos <= 0 ? 0 : heard;
    }

    /** True once, for each disconnect the peer announced that was not yet taken. */
    public boolean takeDisconnect() {
        int d = link.receive().disconnects();
        if (d == disconnectsTaken) {
            return false;
        }
        disconnectsTaken = d;
        return true;
    }

    /** Drops the disconnects announced so far: the link is coming back. */
    public void dropDisconnects() {
        disconnectsTaken = link.receive().disconnects();
    }

    /** The peer disconnected: forget what was heard from it until now, so the link stays down. */
    public void forgetHeard() {
        heardFloorSet = true;
        heardFloorNanos = link.clock().nanoTime();
    }

    /** Whether the peer asked for an answer that was not sent yet. */
    public boolean replyRequested() {
        return link.receive().replyRequests() != repliesTaken;
    }

    /** The answers the peer asked for so far are being sent. */
    public void takeReplyRequests() {
        repliesTaken = link.receive().replyRequests();
    }

    /** An answer the peer asked for is being sent at {@code now}. */
    public void replied(long nowNanos) {
        takeReplyRequests();
        lastReplyNanos = nowNanos;
    }

    /** When {@link #replied} was last called. */
    public long lastReplyNanos() {
        return lastReplyNanos;
    }

    /** Whether data arrived since the last keepalive, which then acknowledges it. */
    public boolean dataSinceKeepalive() {
        return link.receive().dataPackets() != dataTaken;
    }

    /** A keepalive is being sent at {@code now}: it acknowledges the data received so far. */
    public void keepaliveSent(long nowNanos) {
        lastKeepaliveNanos = nowNanos;
    }

    /** The data received so far is acknowledged by the keepalive about to be sent. */
    public void dataAcknowledged() {
        dataTaken = link.receive().dataPackets();
    }

    /** When the last keepalive was sent. */
    public long lastKeepaliveNanos() {
        return lastKeepaliveNanos;
    }

    // ---- state ----

    /** Whether the link was ever connected. */
    public boolean everUp() {
        return everUp;
    }

    /** The link's quality decisions. */
    public LinkQuality quality() {
        return quality;
    }

    /** The link came back: it starts on probation from {@code now}. */
    public void startProbation(long nowNanos) {
        quality.startProbation(nowNanos, link.receive().rtt().samples());
    }

    /** Whether a probe of the link, not being up, is due at {@code now}. */
    public boolean probeDue(long nowNanos) {
        return probe.due(nowNanos);
    }

    /** A probe was sent at {@code now}. */
    public void probeSent(long nowNanos) {
        probe.sent(nowNanos);
    }

    /**
     * Whether the peer has acknowledged, under session {@code s}, a packet this link sent since its
     * last outage began: the proof that its sends get through again. Under a session newer than the
     * outage any acknowledgement is.
     */
    public boolean answeredSinceOutage(LinkSession s) {
        ReceiveSide r = link.receive();
        if (s == null || r.ackedSession() != s) {
            return false;
        }
        return outageSession != s || r.ackedSequence() >= outageSequence;
    }

    /**
     * Moves the link from its state to {@code to} (a different one) for {@code reason}, with what
     * goes with it: outages begin and end, a link that goes down is probed, forgets the peer's
     * stamp and its path MTU, one that turns suspect asks the device reader for a rescue.
     *
     * @param current the tunnel's current session, or null
     * @return true when the link's path MTU was dropped (the tunnel MTU must be recomputed)
     */
    public boolean changeState(LinkState to, String reason, long nowNanos, long nowMillis, LinkSession current) {
        LinkState from = state;
        state = to;
        stateReason = reason;
        stateChangedMillis = nowMillis;
        if (to.connected()) {
            everUp = true;
        }
        if (to == LinkState.UP) {
            socketFailureBackoffNanos = LinkRuntime.SOCKET_RETRY_START_NANOS;
        }
        if (to == LinkState.SUSPECT || (from.connected() && !to.connected())) {
            outageBegins(current);
        } else if (to == LinkState.UP) {
            outageEnds(current);
        }
        boolean mtuDropped = false;
        if (from.connected() && !to.connected()) {
            link.nothingUnanswered();
            link.counters().downTransitions.incrementAndGet();
            probe.down(nowNanos, true);
            peerResets = peerResets + 1;
            if (pathMtuProber != null) {
                // A link that comes back searches again: its path may be another one by then.
                pathMtuProber = null;
                pathMtu = 0;
                mtuDropped = true;
            }
        }
        if (to == LinkState.SUSPECT) {
            rescueRequests = rescueRequests + 1;
        }
        return mtuDropped;
    }

    /**
     * An outage began (the link turned suspect or went down): what the peer reports missing from
     * now until it is healthy again is the outage's, not the link's loss rate.
     */
    private void outageBegins(LinkSession s) {
        Outage o = outage;
        outage = new Outage(o == null ? 1 : o.id() + 1, null, -1);
        outageSession = s;
        outageSequence = s == null ? 0 : s.sequencesSent(link.index());
    }

    /**
     * The link is healthy again under session {@code s}: the packets it sends from now on measure
     * its loss again. Does nothing when no outage is under way.
     */
    private void outageEnds(LinkSession s) {
        Outage o = outage;
        if (o != null && o.resumeSequence() < 0) {
            outage = new Outage(o.id(), s, s == null ? 0 : s.sequencesSent(link.index()));
        }
    }

    // ---- path MTU ----

    /** Whether the peer reports the sizes it receives (an older one never does). */
    public boolean peerReportsSizes() {
        return link.receive().peerSizes().peerReports();
    }

    /** The latest size the peer reported since the last call, else -1. */
    public int takePeerSize() {
        return link.receive().peerSizes().take();
    }

    /** The link's path-MTU search, or null before one started. */
    public PathMtuProber pathMtuProber() {
        return pathMtuProber;
    }

    /** Starts the link's path-MTU search with {@code prober}, at its base size for now. */
    public void startPathMtuSearch(PathMtuProber prober) {
        pathMtuProber = prober;
        pathMtu = prober.pathMtu();
    }

    /** The search settled on {@code bytes} as the largest datagram the link may send. */
    public void pathMtu(int bytes) {
        pathMtu = bytes;
    }

    // ---- the timer's own sends ----

    /** Counts a datagram of {@code bytes} the timer sent on the link under {@code s} (null: an offer). */
    public void sent(LinkSession s, int bytes) {
        link.sent(s, bytes);
    }

    /** Counts a datagram the timer could not send. */
    public void sendRefused() {
        link.counters().txRefused.incrementAndGet();
    }

    /** The link's socket failed on a send of the timer's. */
    public void socketFailed(String failure) {
        link.reportSocketFailure(failure);
    }

    // ---- read by the link and the other parts ----

    LinkConfig config() {
        return config;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    LinkState state() {
        return state;
    }

    String stateReason() {
        return stateReason;
    }

    long stateChangedMillis() {
        return stateChangedMillis;
    }

    DatagramTransport transport() {
        return transport;
    }

    InetSocketAddress resolvedPeer() {
        return resolvedPeer;
    }

    int pathMtu() {
        return pathMtu;
    }

    Outage outage() {
        return outage;
    }

    int rescueRequests() {
        return rescueRequests;
    }

    int peerResets() {
        return peerResets;
    }

    /**
     * One outage of the link: {@code id} counts outages; {@code resumeSequence} is the first
     * sequence sent under {@code session} once it was healthy again, -1 while it lasts. Made on a
     * state change only, never per packet.
     */
    record Outage(int id, LinkSession session, long resumeSequence) {
    }
}
