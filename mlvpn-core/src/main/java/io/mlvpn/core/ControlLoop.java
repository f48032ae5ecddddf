package io.mlvpn.core;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.TunnelState;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.core.link.LinkArray;
import io.mlvpn.core.link.LinkQuality;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.PathMtuProber;
import io.mlvpn.core.link.TimerSide;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer thread: every tick it opens sockets that need it, decides every link's state, sends
 * keepalives, probes and handshake offers, rekeys, and raises events. It is the only writer of
 * link and tunnel states, so listeners see events in order, from this thread.
 *
 * <p>It holds every link's {@link TimerSide}, the only way to change what the timer decides about
 * a link, and hands each link's receive side to the receivers it starts.
 */
final class ControlLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);
    static final long TICK_NANOS = 10_000_000L;
    private static final long REPLY_INTERVAL_NANOS = TICK_NANOS;
    private static final long REKEY_RESEND_NANOS = 1_000_000_000L;
    private static final long REKEY_PACKETS = 1L << 40;
    /**
     * Least silence on every link, with data waiting for an answer for as long, after which a
     * client offers a new session: its server may have restarted and lost this one (packets under
     * an unknown session get no answer), and without an offer only the link timeout (10 s by
     * default) would find out. The offer is not a rekey: both ends start over what they know of
     * each other's data sequence, which a restarted server begins again at 0; a server that merely
     * stalled loses nothing by it after a second of silence.
     */
    static final long PEER_LOST_FLOOR_NANOS = 1_000_000_000L;

    private final TunnelContext ctx;
    private final HandshakeHandler handshakes;
    private final ControlSender sender;
    private final LinkOpener opener;
    private final TimerSide.ReceiverStarter receivers;
    /** The links' timer sides, in the order of {@code ctx.linkSet}; replaced with it by a reload. */
    private TimerSide[] timers;
    private final List<TunnelListener> listeners;
    private long keepaliveNanos;
    private long rekeyNanos;
    private final java.util.Queue<PendingReload> reloads = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Reload reload;
    private volatile TunnelState tunnelState = TunnelState.DOWN;
    private long lastRekeyOfferNanos;
    private boolean peerLostLogged;
    private final EngineErrors errors;

    ControlLoop(TunnelContext ctx, TimerSide[] timers, HandshakeHandler handshakes, ControlSender sender,
            LinkOpener opener, TimerSide.ReceiverStarter receivers, List<TunnelListener> listeners) {
        this.ctx = ctx;
        this.timers = timers.clone();
        this.handshakes = handshakes;
        this.sender = sender;
        this.opener = opener;
        this.receivers = receivers;
        this.listeners = listeners;
        this.keepaliveNanos = ctx.config.keepaliveInterval().toNanos();
        this.rekeyNanos = ctx.config.rekeyInterval().toNanos();
        this.reload = new Reload(ctx, this, handshakes);
        this.errors = new EngineErrors(log, "timer", ctx);
    }

    /** A reload waiting for the timer thread. */
    static final class PendingReload {
        final io.mlvpn.api.config.TunnelConfig config;
        final java.util.concurrent.CompletableFuture<List<String>> done = new java.util.concurrent.CompletableFuture<>();

        PendingReload(io.mlvpn.api.config.TunnelConfig config) {
            this.config = config;
        }
    }

    /** Queues a reload for the next tick. */
    PendingReload submit(io.mlvpn.api.config.TunnelConfig config) {
        PendingReload r = new PendingReload(config);
        reloads.add(r);
        return r;
    }

    /** Applies a reload at once; only when the timer thread is not running. */
    List<String> applyNow(io.mlvpn.api.config.TunnelConfig config, long now) {
        return reload.apply(config, now);
    }

    /** New keepalive and rekey intervals, from a reload. */
    void timing(long keepaliveNanos, long rekeyNanos) {
        this.keepaliveNanos = keepaliveNanos;
        this.rekeyNanos = rekeyNanos;
    }

    TunnelState tunnelState() {
        return tunnelState;
    }

    /** The links' timer sides, in configuration order (a snapshot: do not modify). */
    TimerSide[] timers() {
        return timers;
    }

    /** Puts a new set of links in force (a reload): theirs for the timer, a new snapshot for all. */
    void links(TimerSide[] next) {
        timers = next.clone();
        ctx.linkSet = LinkArray.of(timers);
        ctx.linkSetVersion = ctx.linkSetVersion + 1;
    }

    /** Opens every link's socket; when the tunnel starts, before the timer thread does. */
    void openAll(long now) {
        for (TimerSide link : timers) {
            tryOpen(link, now);
        }
    }

    /**
     * Ticks until the tunnel stops. A tick that throws is counted and logged (rate-limited) and the
     * next one runs: a bug must not stop keepalives for good. An {@link Error} ends the thread,
     * which fails the tunnel (see {@link BondedTunnel}).
     */
    @Override
    public void run() {
        while (ctx.running) {
            try {
                tick(ctx.clock.nanoTime());
            } catch (RuntimeException e) {
                errors.record("tick abandoned", e);
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    /** One pass over the tunnel; package-private so tests can drive it with a manual clock. */
    void tick(long now) {
        PendingReload r;
        while ((r = reloads.poll()) != null) {
            try {
                r.done.complete(reload.apply(r.config, now));
            } catch (RuntimeException e) {
                r.done.completeExceptionally(e);
            }
        }
        Session cur = ctx.sessions.current();
        if (ctx.client) {
            cur = clientSessions(now, cur);
        } else if (cur != null && now - cur.establishedNanos > 2 * rekeyNanos) {
            log.info("session {} expired without a rekey", cur.id);
            ctx.sessions.drop(now);
            cur = null;
        }
        // Taken only with a session to send under: a session established while this tick started
        // without one is announced on the next tick.
        boolean keepaliveNow = cur != null && handshakes.keepaliveNow;
        if (keepaliveNow) {
            handshakes.keepaliveNow = false;
        }
        for (TimerSide link : timers) {
            tickLink(link, now, cur, keepaliveNow);
        }
        boolean up = ctx.anyLinkUp();
        TunnelState next = up ? TunnelState.UP : TunnelState.DOWN;
        if (next != tunnelState) {
            TunnelState from = tunnelState;
            tunnelState = next;
            log.info("tunnel {} -> {}", from.name().toLowerCase(), next.name().toLowerCase());
            for (TunnelListener l : listeners) {
                try {
                    l.tunnelStateChanged(from, next);
                } catch (RuntimeException e) {
                    log.warn("listener failed on tunnel state change", e);
                }
            }
            if (ctx.client && from == TunnelState.UP && cur != null) {
                // Every link went down: the server may have restarted and lost the session.
                ctx.sessions.drop(now);
            }
        }
    }

    private Session clientSessions(long now, Session cur) {
        if (cur == null) {
            if (!handshakes.offerPending(now) || handshakes.offerIsRekey()) {
                handshakes.begin(now, false);
            }
            return null;
        }
        // A session this young has not had the time to be answered: wait for it before another.
        boolean lost = now - cur.establishedNanos >= PEER_LOST_FLOOR_NANOS && peerLost(now);
        if (lost != peerLostLogged) {
            peerLostLogged = lost;
            if (lost) {
                log.info("no answer on any link while data waits: offering a new session"
                        + " (the server may have restarted)");
            }
        }
        boolean due = lost || now - cur.establishedNanos >= rekeyNanos || cur.sealedPackets() >= REKEY_PACKETS;
        if (due) {
            // A receiver may have installed a session since this tick read the current one.
            if (!handshakes.offerPending(now) && ctx.sessions.current() == cur) {
                // For a lost peer, start over rather than rekey: a restarted server numbers its
                // data from 0 again, which the client would otherwise drop as duplicates.
                handshakes.begin(now, !lost);
                lastRekeyOfferNanos = now - REKEY_RESEND_NANOS;
            }
            if (now - lastRekeyOfferNanos >= REKEY_RESEND_NANOS) {
                lastRekeyOfferNanos = now;
                for (TimerSide link : timers) {
                    if (link.link().state().connected()) {
                        sender.offer(link, now);
                    }
                }
            }
        }
        return cur;
    }

    private void tickLink(TimerSide link, long now, Session cur, boolean keepaliveNow) {
        LinkRuntime view = link.link();
        String failure = link.takeSocketFailure();
        if (failure != null) {
            closeTransport(link);
            long wait = link.retryAfterSocketFailure(now);
            setState(link, LinkState.DOWN, "socket error: " + failure + "; reopened in "
                    + wait / 1_000_000L + " ms", now);
        }
        if (view.transport() == null) {
            if (link.openDue(now)) {
                tryOpen(link, now);
            }
            if (view.transport() == null) {
                return;
            }
        }
        updateState(link, now, cur);
        boolean canSend = cur != null && view.peer() != null;
        LinkState st = view.state();
        if (st.connected()) {
            boolean reply = link.replyRequested() && now - link.lastReplyNanos() >= REPLY_INTERVAL_NANOS;
            boolean ack = link.dataSinceKeepalive()
                    && now - link.lastKeepaliveNanos() >= LinkQuality.ACK_INTERVAL_NANOS;
            // A returning or suspect link is probed every tick so its fate is known within milliseconds.
            boolean probing = st == LinkState.PROBATION || st == LinkState.SUSPECT;
            if (keepaliveNow || reply || ack || probing || now - link.lastKeepaliveNanos() >= keepaliveNanos) {
                if (reply) {
                    link.replied(now);
                }
                link.dataAcknowledged();
                sender.keepalive(link, cur, probing || keepaliveNow, now);
                link.keepaliveSent(now);
            }
            if (cur != null && st == LinkState.UP) {
                probePathMtu(link, cur, now);
            }
            return;
        }
        if (canSend && (keepaliveNow || link.replyRequested())) {
            // A fresh session: ask for an answer so the link comes up without waiting a keepalive interval.
            sender.keepalive(link, cur, keepaliveNow, now);
            link.takeReplyRequests();
        }
        if (link.probeDue(now)) {
            if (ctx.client && cur == null) {
                refreshRemote(link);
                sender.offer(link, now);
            } else if (canSend) {
                sender.keepalive(link, cur, true, now);
            }
            link.probeSent(now);
        }
    }

    /**
     * Runs the link's path-MTU search (docs/protocol.md, section 6): started once the peer reports
     * the sizes it receives, fed with its reports, probing when the search asks to. A change is
     * logged, told to the listeners and applied to the tunnel MTU.
     */
    private void probePathMtu(TimerSide link, Session cur, long now) {
        LinkRuntime view = link.link();
        PathMtuProber prober = link.pathMtuProber();
        if (prober == null) {
            if (!link.peerReportsSizes() || view.peer() == null) {
                return; // an older peer: it would never answer a probe
            }
            int max = view.config().mtu() - outerHeaders(view);
            prober = new PathMtuProber(Math.min(max, baseDatagram(view)), max, now);
            link.startPathMtuSearch(prober);
        }
        int reported = link.takePeerSize();
        if (reported > 0) {
            prober.reported(reported, now);
        }
        int size = prober.due(now, probeTimeoutNanos(view), link.lastHeardNanos());
        if (size > 0 && sender.pathMtuProbe(link, cur, size, now)) {
            prober.sent(size, now);
        }
        // Applied once a search is over: announcing the base size it falls back to meanwhile would
        // make every sender's kernel cache that small MTU (for 10 minutes on Linux: caches never
        // grow from an ICMP answer), long after the search found the path's real size.
        if (!prober.searching() && prober.pathMtu() != view.pathMtu()) {
            int from = view.pathMtu();
            link.pathMtu(prober.pathMtu());
            int tunnelMtu = updateTunnelMtu();
            log.info("link {}: path MTU {} bytes (was {}): datagrams above it do not get through; tunnel MTU now {}",
                    view.name(), prober.pathMtu(), from, tunnelMtu);
            for (TunnelListener l : listeners) {
                try {
                    l.pathMtuChanged(view.name(), prober.pathMtu(), tunnelMtu);
                } catch (RuntimeException e) {
                    log.warn("listener failed on a path MTU change", e);
                }
            }
        }
    }

    /** Bytes of IP and UDP header around each of the link's datagrams. */
    private static int outerHeaders(LinkRuntime link) {
        InetSocketAddress peer = link.peer();
        return peer != null && peer.getAddress() instanceof java.net.Inet6Address
                ? TunnelBuilder.IPV6_UDP : TunnelBuilder.IPV4_UDP;
    }

    /** The datagram every path is assumed to carry: RFC 8899's base PLPMTU. */
    private static int baseDatagram(LinkRuntime link) {
        return outerHeaders(link) == TunnelBuilder.IPV6_UDP ? 1280 - TunnelBuilder.IPV6_UDP : 1200;
    }

    /** How long a probe waits for its answer: a few round trips, 100 ms to 2 s. */
    private static long probeTimeoutNanos(LinkRuntime link) {
        long rtoMicros = 2 * link.srttMicros() + 4 * link.rttVarMicros();
        return Math.max(100_000_000L, Math.min(2_000_000_000L, rtoMicros * 1_000L));
    }

    /**
     * The tunnel MTU after a path MTU changed: the configured one, lowered to what the smallest
     * probed path of a connected link carries, so that every packet fits every link.
     */
    private int updateTunnelMtu() {
        int frame = ctx.device != null && ctx.device.type() == io.mlvpn.api.device.DeviceType.TAP
                ? TunnelBuilder.ETHERNET_HEADER : 0;
        int mtu = ctx.mtu;
        for (LinkRuntime l : ctx.links()) {
            int path = l.pathMtu();
            if (path > 0 && l.state().connected()) {
                mtu = Math.min(mtu, path - io.mlvpn.core.wire.Header.OVERHEAD - frame);
            }
        }
        ctx.effectiveMtu = mtu;
        return mtu;
    }

    private void updateState(TimerSide link, long now, Session cur) {
        LinkRuntime view = link.link();
        long heard = link.lastHeardNanos();
        boolean fresh = heard != 0 && now - heard < view.timeoutNanos();
        boolean canSend = cur != null && view.peer() != null;
        LinkState st = view.state();
        long acked = view.lastAckNanos();
        if (!st.connected()) {
            // A link that was up comes back once the peer acknowledges what it sent since it went
            // down: the peer's own traffic arriving says nothing about this side's sends.
            if (fresh && canSend && (!link.everUp() || link.answeredSinceOutage(cur))) {
                link.dropDisconnects();
                if (link.everUp()) {
                    link.startProbation(now);
                    setState(link, LinkState.PROBATION, "answering again under session " + cur.id, now);
                } else {
                    setState(link, LinkState.UP, "authenticated traffic under session " + cur.id, now);
                }
            }
            return;
        }
        // How long since the peer last acknowledged something new on this link (never: forever).
        long answerAge = acked == 0 ? Long.MAX_VALUE : now - acked;
        String downReason;
        if (link.takeDisconnect()) {
            link.forgetHeard();
            setState(link, LinkState.DOWN, "peer disconnected", now);
        } else if (!fresh) {
            setState(link, LinkState.DOWN, "no authenticated datagram for "
                    + (view.timeoutNanos() / 1_000_000L) + " ms", now);
        } else if (cur == null) {
            setState(link, LinkState.CONNECTING, "no session", now);
        } else if (st == LinkState.SUSPECT && (downReason = suspectDownReason(link, now, answerAge)) != null) {
            setState(link, LinkState.DOWN, downReason, now);
        } else {
            Tolerances tc = tolerancesOf(view);
            long since = view.unansweredSinceNanos();
            // Silence counts against one link only while the peer answers on another: when every
            // link goes quiet at once, the peer (or this host) stalled, and the timeout decides.
            long unanswered = since != 0 && peerAnswersElsewhere(link, since) ? now - since : 0;
            // A suspect link resumes on an acknowledgement of what it sent since it turned suspect:
            // one of older packets (its report held up by the cut) proves nothing about now.
            long resumeAge = st == LinkState.SUSPECT && !link.answeredSinceOutage(cur) ? Long.MAX_VALUE : answerAge;
            LinkState next = link.quality().decide(st, now, resumeAge, unanswered,
                    view.srttMicros(), view.rttVarMicros(), view.minRttMicros(), view.rttSamples(),
                    view.lossRatio(),
                    tc.lossPercent, tc.latencyMillis);
            if (next != st) {
                setState(link, next, link.quality().reason(), now);
            }
        }
    }

    /**
     * Why a suspect link is down now, or null while it is not, the peer answering on another link:
     * silent for the down delay, or heard but acknowledging nothing it sent for twice that (its
     * sends fail, one way). The longer wait for the second keeps a link healed at the end of a cut,
     * whose peer is heard again a moment before it acknowledges anything, from a needless down and
     * probation.
     */
    private String suspectDownReason(TimerSide link, long now, long answerAge) {
        LinkRuntime view = link.link();
        long downAfter = LinkQuality.downAfterNanos(view.srttMicros(), view.rttVarMicros());
        long heard = link.lastHeardNanos();
        long silence = now - heard;
        if (silence > downAfter) {
            return peerAnswersElsewhere(link, heard) ? "silent for " + silence / 1_000_000L + " ms" : null;
        }
        long acked = view.lastAckNanos();
        if (answerAge > 2 * downAfter && peerAnswersElsewhere(link, acked == 0 ? link.lastHeardNanos() : acked)) {
            return (acked == 0 ? "nothing it sent acknowledged yet"
                    : "nothing it sent acknowledged for " + answerAge / 1_000_000L + " ms")
                    + " while the peer is heard (its sends fail)";
        }
        return null;
    }

    /**
     * True when every connected link has heard nothing authenticated for at least its bound
     * ({@link #PEER_LOST_FLOOR_NANOS}, or the link's down delay when longer) and data sent on one
     * of them has waited that long for an answer: the peer has stopped answering altogether. An
     * idle tunnel never qualifies (nothing waits), nor does one whose peer answers anywhere.
     */
    private boolean peerLost(long now) {
        boolean waiting = false;
        boolean anyConnected = false;
        for (TimerSide t : timers) {
            LinkRuntime l = t.link();
            if (!l.state().connected()) {
                continue;
            }
            anyConnected = true;
            long bound = Math.max(PEER_LOST_FLOOR_NANOS,
                    LinkQuality.downAfterNanos(l.srttMicros(), l.rttVarMicros()));
            if (now - t.lastHeardNanos() < bound) {
                return false;
            }
            long since = l.unansweredSinceNanos();
            if (since != 0 && now - since >= bound) {
                waiting = true;
            }
        }
        return anyConnected && waiting;
    }

    /** True when another connected link heard from the peer after {@code sinceNanos}. */
    private boolean peerAnswersElsewhere(TimerSide link, long sinceNanos) {
        for (TimerSide other : timers) {
            if (other != link && other.link().state().connected() && other.lastHeardNanos() - sinceNanos > 0) {
                return true;
            }
        }
        return false;
    }

    /** A link's tolerances, resolved against the tunnel's defaults. */
    private static final class Tolerances {
        int lossPercent;
        int latencyMillis;
    }

    private final Tolerances tolerances = new Tolerances();

    private Tolerances tolerancesOf(LinkRuntime link) {
        tolerances.lossPercent = ctx.config.lossToleranceOf(link.config());
        tolerances.latencyMillis = ctx.config.latencyToleranceOf(link.config());
        return tolerances;
    }

    private void refreshRemote(TimerSide link) {
        LinkRuntime view = link.link();
        // Re-resolve the server's name while the link is down, so a changed DNS record is followed.
        try {
            link.resolved(opener.resolveRemote(view.config()));
        } catch (IOException e) {
            if (log.isDebugEnabled()) {
                log.debug("link {}: cannot resolve {}: {}", view.name(), view.config().remoteHost().orElse(""),
                        e.toString());
            }
        }
    }

    /** Opens a link's socket now; on failure schedules the next try with back-off. */
    boolean tryOpen(TimerSide link, long now) {
        LinkRuntime view = link.link();
        try {
            InetSocketAddress remote = ctx.client ? opener.resolveRemote(view.config()) : null;
            DatagramTransport t = opener.open(view.config(), remote);
            link.opened(t, remote, now, receivers);
            log.info("link {}: socket open on {}{}", view.name(), t.localAddress(),
                    remote == null ? "" : ", peer " + remote);
            setState(link, LinkState.CONNECTING, "socket open", now);
            return true;
        } catch (IOException e) {
            long wait = link.openFailed(now);
            log.warn("link {}: cannot open socket (retry in {} s): {}", view.name(),
                    wait / 1_000_000_000L, e.toString());
            return false;
        }
    }

    private void closeTransport(TimerSide link) {
        DatagramTransport t = link.detachTransport();
        if (t != null) {
            try {
                t.close();
            } catch (IOException e) {
                log.debug("link {}: close failed: {}", link.link().name(), e.toString());
            }
        }
    }

    private void setState(TimerSide link, LinkState to, String reason, long now) {
        LinkRuntime view = link.link();
        LinkState from = view.state();
        if (from == to) {
            return;
        }
        boolean mtuDropped = link.changeState(to, reason, now, ctx.clock.currentTimeMillis(), ctx.sessions.current());
        ctx.linkSetVersion = ctx.linkSetVersion + 1;
        if (mtuDropped) {
            updateTunnelMtu();
        }
        if (to == LinkState.SUSPECT || (from.connected() && !to.connected())) {
            // Whatever the reorder buffer waits for from this link is not coming.
            ctx.linkLosses = ctx.linkLosses + 1;
        }
        log.info("link {}: {} -> {} ({})", view.name(), from.name().toLowerCase(), to.name().toLowerCase(), reason);
        LinkEvent event = new LinkEvent(view.name(), from, to, reason, ctx.clock.currentTimeMillis());
        for (TunnelListener l : listeners) {
            try {
                l.linkStateChanged(event);
            } catch (RuntimeException e) {
                log.warn("listener failed on link event", e);
            }
        }
    }

    /** Tells the peer a link is going away, when it is up. */
    void disconnect(TimerSide link, long now) {
        Session cur = ctx.sessions.current();
        if (cur != null && link.link().state().connected()) {
            sender.disconnect(link, cur, now);
        }
    }

    /** Closes a link's socket and marks it down; it is reopened when its open time comes. */
    void closeLink(TimerSide link, String reason, long now) {
        closeTransport(link);
        link.reopenFrom(now);
        setState(link, LinkState.DOWN, reason, now);
    }

    /** Sends DISCONNECT on every up link; called once the timer thread has stopped. */
    void disconnectAll(long now) {
        Session cur = ctx.sessions.current();
        if (cur == null) {
            return;
        }
        for (TimerSide link : timers) {
            if (link.link().state().connected()) {
                sender.disconnect(link, cur, now);
            }
        }
    }

    /**
     * Marks every link down at close, raising the events, then the tunnel {@code end} (closed, or
     * failed when an engine thread died).
     */
    void closeAll(long now, TunnelState end) {
        for (TimerSide link : timers) {
            closeTransport(link);
            setState(link, LinkState.DOWN, end == TunnelState.FAILED ? "tunnel failed" : "tunnel closed", now);
        }
        TunnelState from = tunnelState;
        tunnelState = end;
        for (TunnelListener l : listeners) {
            try {
                l.tunnelStateChanged(from, end);
            } catch (RuntimeException e) {
                log.warn("listener failed on tunnel state change", e);
            }
        }
    }
}
