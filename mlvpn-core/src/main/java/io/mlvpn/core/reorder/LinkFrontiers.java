package io.mlvpn.core.reorder;

import java.util.Arrays;

/**
 * What the receiver learns from the order and timing of data packets on each of the sender's
 * links: which missing data sequences are provably lost, and how far apart the links' one-way
 * delays currently are.
 *
 * <p><b>Proof of loss.</b> Each link delivers in the order it was sent on (the sender's queue, the
 * UDP path and the receiving thread are all first-in first-out), and the sender numbers data in
 * the order it sends it. So once a link has delivered data sequence {@code f}, any sequence below
 * {@code f} that was sent on that link has either arrived already or been lost. A missing sequence
 * below the frontier of every link that is carrying data is lost for certain, and waiting for it
 * only delays what TCP has already received after it. {@link #clearedBelow} gives that bound. Links
 * that delivered no data for {@link #ACTIVE_NANOS} are left out: they carry none, and a packet on a
 * link slower than that is left to the reorder buffer's timeout. (A rescued packet is sent again
 * after later ones and so breaks the order; rescue comes with a link failure, on which the
 * reorder buffer is flushed anyway.)
 *
 * <p><b>Delay spread.</b> Every data header carries the sender's 100 µs stamp. Arrival time minus
 * stamp is the one-way delay plus the (unknown but common) offset between the two clocks, so its
 * differences between links are true differences of one-way delay, queueing included: unlike
 * round-trip times, they see the queue data waits in, in the direction it travels.
 * {@link #delaySpreadNanos} is the largest recent delay of any active link minus the smallest
 * recent delay of any active link: how much later than its successor a packet can arrive now.
 *
 * <p>Link ids are the sender's, 0 to 255. Allocation-free; owned by the device-writer thread.
 */
public final class LinkFrontiers {
    /** A link that delivered no data for this long is taken as not carrying any. */
    public static final long ACTIVE_NANOS = 1_000_000_000L;
    /**
     * How long a link's frontier must stand before it proves anything: the path is not quite
     * first-in first-out (a veth or NIC hands packets to per-CPU queues), so a packet may be
     * overtaken by one sent just after it on the same link.
     */
    public static final long SETTLE_NANOS = 2_000_000L;
    /** Nanoseconds per header stamp unit. */
    private static final long NANOS_PER_UNIT = 100_000L;
    private static final int LINKS = 256;
    /** Recent extremes relax toward new samples by 1/32 of the distance per sample. */
    private static final int RELAX_SHIFT = 5;

    private final long[] frontier = new long[LINKS];
    /** Per link, the frontier as it was at least {@link #SETTLE_NANOS} ago: what {@link #clearedBelow} trusts. */
    private final long[] settled = new long[LINKS];
    private final long[] candidate = new long[LINKS];
    private final long[] candidateNanos = new long[LINKS];
    private long misordered;
    private final long[] lastDataNanos = new long[LINKS];
    private final boolean[] seen = new boolean[LINKS];
    /** Recent largest and smallest relative one-way delay per link, stamp units, relative to {@link #anchor}. */
    private final long[] recentMaxUnits = new long[LINKS];
    private final long[] recentMinUnits = new long[LINKS];
    private final int[] active = new int[LINKS];
    private int activeCount;
    private boolean anchored;
    private int anchor;

    /** Creates empty frontiers. */
    public LinkFrontiers() {
        reset();
    }

    /** Forgets everything: a new sequence space (a new session lineage) starts. */
    public void reset() {
        Arrays.fill(frontier, -1);
        Arrays.fill(settled, -1);
        Arrays.fill(candidate, -1);
        Arrays.fill(seen, false);
        activeCount = 0;
        anchored = false;
    }

    /**
     * Records a data packet.
     *
     * @param linkId the sender's link id, 0 to 255
     * @param seq its data sequence, {@code >= 0}
     * @param stamp the sender's 16-bit stamp from its header
     * @param nowNanos its arrival, in the monotonic time base of {@code clearedBelow}
     */
    public void record(int linkId, long seq, int stamp, long nowNanos) {
        int id = linkId & 0xFF;
        if (seq > frontier[id]) {
            frontier[id] = seq;
        } else {
            misordered++;
        }
        lastDataNanos[id] = nowNanos;
        int arrivalUnits = (int) ((nowNanos / NANOS_PER_UNIT) & 0xFFFF);
        int delayUnits = (arrivalUnits - stamp) & 0xFFFF;
        if (!anchored) {
            anchored = true;
            anchor = delayUnits;
        }
        // Signed distance from the anchor: valid while the links' delays differ by under 3.2 s.
        long relative = (short) (delayUnits - anchor);
        if (!seen[id]) {
            seen[id] = true;
            recentMaxUnits[id] = relative;
            recentMinUnits[id] = relative;
            candidateNanos[id] = nowNanos;
            active[activeCount++] = id;
            return;
        }
        long max = recentMaxUnits[id];
        recentMaxUnits[id] = relative >= max ? relative : max - ((max - relative + (1 << RELAX_SHIFT) - 1) >> RELAX_SHIFT);
        long min = recentMinUnits[id];
        recentMinUnits[id] = relative <= min ? relative : min + ((relative - min + (1 << RELAX_SHIFT) - 1) >> RELAX_SHIFT);
    }

    /**
     * The lowest data sequence that may still be in flight: every missing sequence below it is
     * lost. {@code -1} when fewer than {@code connectedLinks} links carried data within
     * {@link #ACTIVE_NANOS} of {@code nowNanos}: a connected link that has not (yet) delivered
     * data may be carrying its first packets right now (a slow link just starting, one coming back
     * from idle), and its frontier, unknown, proves nothing; the timeout decides then.
     *
     * @param connectedLinks the links the receiver has connected, each of which the sender may use
     */
    public long clearedBelow(long nowNanos, int connectedLinks) {
        long cleared = Long.MAX_VALUE;
        int counted = 0;
        for (int k = 0; k < activeCount; k++) {
            int id = active[k];
            if (nowNanos - candidateNanos[id] >= SETTLE_NANOS) {
                settled[id] = candidate[id];
                candidate[id] = frontier[id];
                candidateNanos[id] = nowNanos;
            }
            if (nowNanos - lastDataNanos[id] <= ACTIVE_NANOS) {
                cleared = Math.min(cleared, settled[id]);
                counted++;
            }
        }
        return cleared == Long.MAX_VALUE || counted < connectedLinks ? -1 : cleared;
    }

    /**
     * The recent one-way delay spread between the links that carried data within
     * {@link #ACTIVE_NANOS}, nanoseconds; 0 with fewer than two such links.
     */
    public long delaySpreadNanos(long nowNanos) {
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        int links = 0;
        for (int k = 0; k < activeCount; k++) {
            int id = active[k];
            if (nowNanos - lastDataNanos[id] <= ACTIVE_NANOS) {
                max = Math.max(max, recentMaxUnits[id]);
                min = Math.min(min, recentMinUnits[id]);
                links++;
            }
        }
        return links < 2 ? 0 : (max - min) * NANOS_PER_UNIT;
    }

    /**
     * Whether sequence {@code seq} may still be on its way: some link has not yet delivered
     * anything sent after it and is still delivering (its last data arrived within
     * {@code quietNanos}), so it may be draining a queue that holds {@code seq}. While this holds,
     * a gap is worth waiting for beyond the usual timeout; once every such link is quiet, the gap
     * is a tail loss.
     */
    public boolean mayStillArrive(long seq, long nowNanos, long quietNanos) {
        for (int k = 0; k < activeCount; k++) {
            int id = active[k];
            if (frontier[id] < seq && nowNanos - lastDataNanos[id] <= quietNanos) {
                return true;
            }
        }
        return false;
    }

    /** Data packets that arrived on their link after a later one (the path reordered them). */
    public long misordered() {
        return misordered;
    }

    /**
     * Moves the anchor of the relative delays to the smallest recent one, so that slow drift
     * between the two clocks can never make them wrap. Call now and then (every 100 ms is plenty).
     */
    public void reanchor() {
        if (activeCount == 0) {
            return;
        }
        long min = Long.MAX_VALUE;
        for (int k = 0; k < activeCount; k++) {
            min = Math.min(min, recentMinUnits[active[k]]);
        }
        for (int k = 0; k < activeCount; k++) {
            int id = active[k];
            recentMaxUnits[id] -= min;
            recentMinUnits[id] -= min;
        }
        anchor = (anchor + (int) min) & 0xFFFF;
    }
}
