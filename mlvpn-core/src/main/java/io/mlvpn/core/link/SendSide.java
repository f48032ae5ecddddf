package io.mlvpn.core.link;

import io.mlvpn.api.Clock;
import io.mlvpn.core.measure.RateEstimator;

/**
 * What the device reader's sends change on a link: the send rate, the datagrams the transport
 * refused (not the link's loss), data waiting for an answer, the rescued-packet count.
 *
 * <p>Device-reader thread only: it reaches this part through the {@link LinkArray} it sends on
 * ({@link LinkArray#sendSide}), which no other thread calls ({@code LinkOwnershipTest} checks).
 * Everyone else reads through {@link LinkRuntime}. Shared with other threads, atomically (see
 * {@link LinkRuntime}): the first send after an answer sets the unanswered-data time, a failed
 * send is reported as the socket failure, and these sends count in the in-flight bytes with the
 * timer's keepalives.
 */
public final class SendSide {
    private final LinkRuntime link;
    private final RateEstimator txRate;
    /** Datagrams of {@link #refusedSession} the transport refused to send. */
    private volatile long refusedSends;
    private volatile LinkSession refusedSession;

    SendSide(LinkRuntime link, Clock clock) {
        this.link = link;
        this.txRate = new RateEstimator(clock);
    }

    /** The link, read-only. */
    public LinkRuntime link() {
        return link;
    }

    /** The link's index. */
    public int index() {
        return link.index();
    }

    /** A data datagram of {@code bytes}, sealed under {@code s}, left on the link. */
    public void sent(LinkSession s, int bytes) {
        link.sent(s, bytes);
        txRate.record(bytes);
    }

    /** Data was offered to the transport at {@code now}: it waits for the peer's answer. */
    public void offered(long nowNanos) {
        link.dataSent(nowNanos);
    }

    /**
     * Counts datagrams sealed under {@code s} that the transport refused to send: their sequence
     * numbers are used, so the peer will report them missing, but they are not the link's loss.
     */
    public void refused(LinkSession s, int count) {
        link.counters().txRefused.addAndGet(count);
        if (s == null || count <= 0) {
            return;
        }
        if (refusedSession != s) {
            refusedSends = 0;
            refusedSession = s;
        }
        refusedSends = refusedSends + count;
    }

    /** The link's socket failed on a send. */
    public void socketFailed(String failure) {
        link.reportSocketFailure(failure);
    }

    /** {@code count} packets this link sent were sent again on other links. */
    public void rescued(long count) {
        link.counters().rescuedPackets.addAndGet(count);
    }

    // ---- read by the link and the other parts ----

    RateEstimator txRate() {
        return txRate;
    }

    /** Datagrams refused under {@code s}, 0 when the last refusals were under another session. */
    long refusedIn(LinkSession s) {
        LinkSession in = refusedSession;
        return in == s ? refusedSends : 0;
    }
}
