package io.mlvpn.core.link;

/**
 * Hands the largest datagram sizes that the peer reports for a link (in its keepalives) from the
 * link's receiver thread, which {@link #post}s them, to the timer, which {@link #take}s the latest.
 * A peer that never reports one (an engine older than path-MTU probing) leaves it empty, and the
 * link is then never probed.
 */
public final class PeerSizeReports {
    private volatile int latest;
    /** Reports posted so far; written by the receiver thread only. */
    private volatile int posted;
    /** Reports taken so far; the timer's. */
    private int taken;

    /** The peer reported {@code largest} bytes; receiver thread only. */
    public void post(int largest) {
        latest = largest;
        posted = posted + 1;
    }

    /** True once the peer has reported any size: it speaks this part of the protocol. */
    public boolean peerReports() {
        return posted != 0;
    }

    /** The latest report when one came since the last call, else -1; timer only. */
    public int take() {
        int p = posted;
        if (p == taken) {
            return -1;
        }
        taken = p;
        return latest;
    }
}
