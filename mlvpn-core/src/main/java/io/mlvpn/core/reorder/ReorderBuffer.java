package io.mlvpn.core.reorder;

import java.util.Objects;

/**
 * Puts received data packets back in order of their tunnel-wide data sequence and drops
 * duplicates, holding at most a bounded number of packets and skipping a gap once it has waited
 * the gap timeout.
 *
 * <p><b>Use.</b> For each received data packet call {@link #offer}; when it returns
 * {@link #DUPLICATE} or {@link #TOO_OLD} the buffer did not keep the item and the caller recycles
 * it; otherwise the buffer owns it until {@link #poll()} hands it back. After every
 * {@code offer}, {@link #expire}, {@link #flush()} and {@link #reset()} the caller polls until
 * {@code null} and writes what it gets to the device in that order; between packets it parks until
 * {@link #nextDeadlineNanos()} and then calls {@code expire}. When a link is known dead or goes
 * down, the gaps it left will not fill: call {@link #flush()}. When reordering is switched off,
 * bypass this class and use a {@link DuplicateFilter} alone.
 *
 * <p><b>Sequence space.</b> Let {@code next} be the next expected sequence. A sequence equal to
 * {@code next} is released at once, followed by the held run after it. One in
 * {@code next+1 .. next+capacity-1} is held. One further ahead overflows: everything held is
 * released in order, skipping its gaps, then the new one is taken as in order. One below
 * {@code next} whose gap was skipped is released at once out of order (late): for TCP a late
 * segment is better than a lost one. The first packet after construction or {@link #reset()} sets
 * {@code next} ({@link #resetTo} sets it explicitly). Duplicates are found by a
 * {@link DuplicateFilter} whose window covers at least {@code capacity} sequences below
 * {@code next}, so copies of held and of recently delivered packets are both refused.
 *
 * <p><b>Gap timeout.</b> A missing sequence is given up when some packet with a higher sequence
 * has waited the gap timeout: the slow link's packet should have arrived by then. The first gap's
 * deadline is therefore the arrival time of the oldest held packet plus the timeout, whatever its
 * sequence; {@link #expire} skips every gap below that packet and releases the run it starts, and
 * repeats for the next oldest. The timeout is read when {@code expire} runs, so a new value applies
 * to packets already held. {@link #gapTimeoutNanos(long[], long[], int, long, long)} derives it from
 * the links' measured delays.
 *
 * <p><b>Cost.</b> Everything is preallocated: a ring of {@code capacity} slots for held items
 * with their sequences and arrival times, an arrival-order ring of held sequences, a ring of
 * {@code 2 * capacity} releasable items and the filter. {@code offer}, {@code poll} and
 * {@code expire} allocate nothing and cost O(1) amortised per sequence number; skipping a gap walks
 * its missing sequences, at most {@code capacity} of them.
 *
 * <p>Counters are cumulative: {@code reset} does not clear them.
 *
 * <p>Not safe for concurrent use: owned by the device-writer thread.
 *
 * @param <T> the packet (buffer) type; the buffer never looks inside
 */
public final class ReorderBuffer<T> {

    /** {@link #offer} result: the next expected sequence; releasable now, with the held run after it. */
    public static final int IN_ORDER = 0;
    /** {@link #offer} result: ahead of a gap; stored until the gap fills or is skipped. */
    public static final int HELD = 1;
    /** {@link #offer} result: already delivered or held; not kept, the caller recycles the item. */
    public static final int DUPLICATE = 2;
    /** {@link #offer} result: its gap was already skipped; releasable now, out of order. */
    public static final int LATE = 3;
    /** {@link #offer} result: too far ahead to hold; all held items were released, then this one. */
    public static final int OVERFLOW = 4;
    /**
     * {@link #offer} result: older than the duplicate window (or an invalid negative sequence),
     * so it cannot be told from a duplicate; not kept, the caller recycles the item.
     */
    public static final int TOO_OLD = 5;

    /** The smallest capacity accepted by the constructor. */
    public static final int MIN_CAPACITY_PACKETS = 16;
    /** The largest capacity accepted by the constructor. */
    public static final int MAX_CAPACITY_PACKETS = 65536;

    /** The gap timeout until {@link #setGapTimeoutNanos} is called: 100 ms, before any delay is measured. */
    public static final long DEFAULT_GAP_TIMEOUT_NANOS = 100_000_000L;
    /** The largest gap timeout accepted: 60 s (longer would only stall the tunnel). */
    public static final long MAX_GAP_TIMEOUT_NANOS = 60_000_000_000L;
    /** Added to the measured delay spread: timer slack, batching and queueing in the receiver. */
    public static final long GAP_MARGIN_NANOS = 2_000_000L;

    /** Delay inputs are capped here (1000 s) so the arithmetic cannot overflow. */
    private static final long MAX_DELAY_MICROS = 1_000_000_000L;

    private final int capacity;
    private final int heldMask;
    private final Object[] heldItems;
    private final long[] heldSeqs;
    private final long[] heldArrivalNanos;

    /** Held sequences in arrival order; entries below {@code nextSeq} are stale and dropped from the head. */
    private final long[] arrivalOrder;
    private final int arrivalMask;
    private long arrivalHead;
    private long arrivalTail;

    private final Object[] ready;
    private final int readyMask;
    private long readyHead;
    private long readyTail;

    private final DuplicateFilter seen;
    private boolean started;
    private long nextSeq;
    private int heldCount;
    private long gapTimeoutNanos = DEFAULT_GAP_TIMEOUT_NANOS;

    private long reordered;
    /** Upper bounds of the hold-time histogram's buckets; one more bucket counts what is above. */
    public static final long[] DELAY_BOUNDS_NANOS = {1_000_000L, 2_000_000L, 5_000_000L, 10_000_000L,
        20_000_000L, 50_000_000L, 100_000_000L, 200_000_000L, 500_000_000L, 1_000_000_000L};
    private final long[] delayCounts = new long[DELAY_BOUNDS_NANOS.length + 1];
    private long delaySumNanos;
    private long lastNowNanos;
    private long late;
    private long overflows;
    private long skippedGaps;
    private long skippedPackets;

    /**
     * A buffer holding up to {@code capacityPackets} (rounded up to a power of two) packets.
     *
     * @param capacityPackets {@value #MIN_CAPACITY_PACKETS} .. {@value #MAX_CAPACITY_PACKETS}
     */
    public ReorderBuffer(int capacityPackets) {
        if (capacityPackets < MIN_CAPACITY_PACKETS || capacityPackets > MAX_CAPACITY_PACKETS) {
            throw new IllegalArgumentException("capacityPackets outside " + MIN_CAPACITY_PACKETS + ".."
                    + MAX_CAPACITY_PACKETS + ": " + capacityPackets);
        }
        capacity = DuplicateFilter.nextPowerOfTwo(capacityPackets);
        heldMask = capacity - 1;
        heldItems = new Object[capacity];
        heldSeqs = new long[capacity];
        heldArrivalNanos = new long[capacity];
        // Held sequences pushed while one entry stays live lie within capacity of it on either side.
        arrivalOrder = new long[2 * capacity];
        arrivalMask = arrivalOrder.length - 1;
        // At most capacity - 1 held plus the new one become releasable per offer; the rest is slack
        // for a caller that offers a little before polling.
        ready = new Object[2 * capacity];
        readyMask = ready.length - 1;
        // A held sequence is up to capacity - 1 above next; duplicates must still be found capacity below it.
        seen = new DuplicateFilter(Math.max(DuplicateFilter.DEFAULT_WINDOW_PACKETS, 2 * capacity));
    }

    /**
     * Takes one received packet.
     *
     * @param seq its tunnel-wide data sequence
     * @param item the packet; kept unless the result is {@link #DUPLICATE} or {@link #TOO_OLD}
     * @param nowNanos the current {@link System#nanoTime()}-style time, its arrival time
     * @return {@link #IN_ORDER}, {@link #HELD}, {@link #DUPLICATE}, {@link #LATE},
     *     {@link #OVERFLOW} or {@link #TOO_OLD}
     * @throws IllegalStateException when releasable and held items together fill {@code 2 * capacity}:
     *     the caller stopped polling (a bug)
     */
    public int offer(long seq, T item, long nowNanos) {
        lastNowNanos = nowNanos;
        Objects.requireNonNull(item, "item");
        if (releasable() + heldCount >= ready.length) {
            throw new IllegalStateException("poll() the " + releasable() + " releasable items before offering more");
        }
        int verdict = seen.record(seq);
        if (verdict == DuplicateFilter.SEEN) {
            return DUPLICATE;
        }
        if (verdict == DuplicateFilter.OUTSIDE) {
            return TOO_OLD;
        }
        if (!started) {
            started = true;
            nextSeq = seq;
        }
        long offset = seq - nextSeq; // both non-negative: cannot overflow
        if (offset == 0) {
            pushReady(item);
            nextSeq++;
            releaseRun();
            return IN_ORDER;
        }
        if (offset < 0) {
            pushReady(item);
            late++;
            return LATE;
        }
        if (offset < capacity) {
            hold(seq, item, nowNanos);
            return HELD;
        }
        overflows++;
        skipHeldBelow(Long.MAX_VALUE);
        if (seq > nextSeq) {
            skippedGaps++;
            skippedPackets += seq - nextSeq;
        }
        pushReady(item);
        nextSeq = seq + 1;
        return OVERFLOW;
    }

    /** The next releasable item in order, or {@code null} when none is. */
    public T poll() {
        if (readyHead == readyTail) {
            return null;
        }
        int index = (int) readyHead & readyMask;
        @SuppressWarnings("unchecked") // only offer() stores here, and only Ts
        T item = (T) ready[index];
        ready[index] = null;
        readyHead++;
        return item;
    }

    /**
     * Skips gaps whose time is up: while the oldest held item has waited at least the gap timeout
     * ({@code nowNanos - arrival >= gapTimeoutNanos()}), skips the gaps below it (counted) and
     * makes it and the run after it releasable.
     */
    public void expire(long nowNanos) {
        lastNowNanos = nowNanos;
        while (heldCount > 0) {
            long oldestSeq = arrivalOrder[(int) arrivalHead & arrivalMask];
            if (nowNanos - heldArrivalNanos[(int) oldestSeq & heldMask] < gapTimeoutNanos) {
                return;
            }
            skipHeldBelow(oldestSeq);
            releaseRun();
        }
    }

    /**
     * Skips the gaps below {@code seq} at once (counted): for sequences known to be lost, such as
     * those below every link's {@link LinkFrontiers#clearedBelow frontier}. Held items below
     * {@code seq} and the run after them become releasable. Does nothing when nothing is held or
     * {@code seq} is not above the next expected sequence.
     */
    public void skipBelow(long seq) {
        if (heldCount == 0 || seq <= nextSeq) {
            return;
        }
        skipHeldBelow(seq);
        releaseRun();
    }

    /**
     * When {@link #expire} will next skip a gap: the oldest held item's arrival plus the gap timeout
     * (in the {@code nowNanos} time base); {@link Long#MAX_VALUE} when nothing is held.
     */
    public long nextDeadlineNanos() {
        if (heldCount == 0) {
            return Long.MAX_VALUE;
        }
        long oldestSeq = arrivalOrder[(int) arrivalHead & arrivalMask];
        return heldArrivalNanos[(int) oldestSeq & heldMask] + gapTimeoutNanos;
    }

    /**
     * How long the oldest held item has waited at {@code nowNanos}; 0 when nothing is held.
     */
    public long oldestWaitNanos(long nowNanos) {
        if (heldCount == 0) {
            return 0;
        }
        long oldestSeq = arrivalOrder[(int) arrivalHead & arrivalMask];
        return nowNanos - heldArrivalNanos[(int) oldestSeq & heldMask];
    }

    /**
     * Sets how long the oldest held item waits before the gaps below it are skipped; applies to
     * items already held.
     *
     * @param nanos 0 .. {@value #MAX_GAP_TIMEOUT_NANOS}
     */
    public void setGapTimeoutNanos(long nanos) {
        if (nanos < 0 || nanos > MAX_GAP_TIMEOUT_NANOS) {
            throw new IllegalArgumentException("gap timeout outside 0.." + MAX_GAP_TIMEOUT_NANOS + " ns: " + nanos);
        }
        gapTimeoutNanos = nanos;
    }

    /** The current gap timeout in nanoseconds. */
    public long gapTimeoutNanos() {
        return gapTimeoutNanos;
    }

    /**
     * Makes everything held releasable in order, skipping all gaps at once (counted): for when a
     * link is known dead or goes down, so its gaps will not fill.
     */
    public void flush() {
        skipHeldBelow(Long.MAX_VALUE);
    }

    /**
     * Starts a new sequence space (a new session lineage) without dropping anything: flushes, so
     * held items stay releasable through {@link #poll()}, then forgets every sequence; the next
     * offered packet sets the next expected sequence.
     */
    public void reset() {
        flush();
        seen.reset();
        started = false;
        nextSeq = 0;
    }

    /**
     * Like {@link #reset()}, but the new sequence space starts at {@code nextExpectedSeq} (0 for a
     * new lineage), so that a first packet overtaken by its successors is still put in order.
     *
     * @param nextExpectedSeq 0 .. {@code Long.MAX_VALUE - 1}
     */
    public void resetTo(long nextExpectedSeq) {
        if (nextExpectedSeq < 0 || nextExpectedSeq == Long.MAX_VALUE) {
            throw new IllegalArgumentException("nextExpectedSeq outside 0..2^63-2: " + nextExpectedSeq);
        }
        reset();
        started = true;
        nextSeq = nextExpectedSeq;
    }

    /** The next expected sequence; meaningless before the first packet after a {@link #reset()}. */
    public long nextExpectedSeq() {
        return nextSeq;
    }

    /** The number of slots for held packets: the constructor's argument rounded up to a power of two. */
    public int capacityPackets() {
        return capacity;
    }

    /** Items held now, waiting for a gap below them. */
    public int held() {
        return heldCount;
    }

    /** Items releasable now through {@link #poll()}. */
    public int releasable() {
        return (int) (readyTail - readyHead);
    }

    /** Items that were held and then released in order (each counted once, when released). */
    public long reordered() {
        return reordered;
    }

    /**
     * Held items released in order whose hold time fell in bucket {@code i}: at most
     * {@code DELAY_BOUNDS_NANOS[i]} (and above the bucket before); the last bucket is above every
     * bound. Hold times are measured up to the latest {@code offer}/{@code expire} time.
     */
    public long delayCount(int i) {
        return delayCounts[i];
    }

    /** Sum of the hold times counted in the histogram, nanoseconds. */
    public long delaySumNanos() {
        return delaySumNanos;
    }

    /** Items that arrived after their gap was skipped and were released out of order. */
    public long late() {
        return late;
    }

    /** Copies of delivered or held items refused. */
    public long duplicates() {
        return seen.duplicates();
    }

    /** Items refused as older than the duplicate window, or with a negative sequence. */
    public long tooOld() {
        return seen.tooOld();
    }

    /** Offers too far ahead to hold, each releasing everything held. */
    public long overflows() {
        return overflows;
    }

    /** Gaps (runs of missing sequences) given up by timeout, overflow or flush. */
    public long skippedGaps() {
        return skippedGaps;
    }

    /** Missing sequences given up; those that arrive later anyway are also counted as late. */
    public long skippedPackets() {
        return skippedPackets;
    }

    /**
     * The gap timeout for links with these smoothed round-trip times and variations: how much
     * later than its successor a packet can arrive when each link carries some of the traffic.
     *
     * <p>Round trips do not say how a link's delay splits between the two directions: uplinks are
     * often asymmetric (a modem's upload queue holds most of it), and data waits in that queue
     * longer than the keepalives that measure it. So a packet sent on the slowest link is assumed
     * to take up to {@code 1.5·srtt + 4·rttvar} one way, and the packet sent just after it on the
     * fastest link at least {@code srtt/2 − 2·rttvar} (not below 0). Once a later packet has
     * waited the difference, the missing one is lost, not late:
     *
     * <pre>
     * timeout = max_i(1.5·srtt_i + 4·rttvar_i) − min_i(max(0, srtt_i/2 − 2·rttvar_i)) + GAP_MARGIN_NANOS
     * </pre>
     *
     * clamped to {@code [floorNanos, ceilingNanos]}. One link gives about its own round trip plus
     * the margin. The timeout only delays delivery past a real loss, so erring long costs little;
     * erring short releases packets out of order, which TCP takes for loss. With no measured link ({@code n == 0}) the spread is unknown and the
     * result is {@code ceilingNanos}: better to wait than to release out of order. Unlike
     * MLVPN's 2.2 × max(srtt + 4·rttvar), this does not grow with the common delay that every link
     * shares, only with their difference. Pass only links that are up and have an RTT sample;
     * inputs above 1000 s are taken as 1000 s.
     *
     * @param srttMicros smoothed round-trip time per link, first {@code n} used, each {@code >= 0}
     * @param rttVarMicros round-trip time variation per link, first {@code n} used, each {@code >= 0}
     * @param n the number of links, {@code 0 .. min(lengths)}
     * @param floorNanos the smallest result, {@code >= 0}
     * @param ceilingNanos the largest result, {@code floorNanos .. MAX_GAP_TIMEOUT_NANOS}
     * @return the gap timeout in nanoseconds
     */
    public static long gapTimeoutNanos(long[] srttMicros, long[] rttVarMicros, int n, long floorNanos,
            long ceilingNanos) {
        if (n < 0 || n > srttMicros.length || n > rttVarMicros.length) {
            throw new IllegalArgumentException("n outside 0..min(" + srttMicros.length + ", " + rttVarMicros.length
                    + "): " + n);
        }
        if (floorNanos < 0 || ceilingNanos < floorNanos || ceilingNanos > MAX_GAP_TIMEOUT_NANOS) {
            throw new IllegalArgumentException("need 0 <= floorNanos <= ceilingNanos <= " + MAX_GAP_TIMEOUT_NANOS
                    + ": " + floorNanos + ", " + ceilingNanos);
        }
        if (n == 0) {
            return ceilingNanos;
        }
        long latestMicros = 0;
        long earliestMicros = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long srtt = srttMicros[i];
            long rttVar = rttVarMicros[i];
            if (srtt < 0 || rttVar < 0) {
                throw new IllegalArgumentException("negative delay for link " + i + ": srtt " + srtt
                        + " us, rttvar " + rttVar + " us");
            }
            long oneWay = Math.min(srtt, MAX_DELAY_MICROS) / 2;
            long twoVar = 2 * Math.min(rttVar, MAX_DELAY_MICROS);
            latestMicros = Math.max(latestMicros, 3 * oneWay + 2 * twoVar);
            earliestMicros = Math.min(earliestMicros, Math.max(0, oneWay - twoVar));
        }
        long timeoutNanos = (latestMicros - earliestMicros) * 1000 + GAP_MARGIN_NANOS;
        return Math.max(floorNanos, Math.min(ceilingNanos, timeoutNanos));
    }

    private void hold(long seq, T item, long nowNanos) {
        int slot = (int) seq & heldMask;
        heldItems[slot] = item;
        heldSeqs[slot] = seq;
        heldArrivalNanos[slot] = nowNanos;
        arrivalOrder[(int) arrivalTail & arrivalMask] = seq;
        arrivalTail++;
        heldCount++;
    }

    /** Releases the held run starting at {@code nextSeq}, advancing it past the run. */
    private void releaseRun() {
        while (heldCount > 0) {
            int slot = (int) nextSeq & heldMask;
            if (heldItems[slot] == null || heldSeqs[slot] != nextSeq) {
                break;
            }
            releaseHeld(slot);
            nextSeq++;
        }
        dropStaleArrivals();
    }

    /**
     * Advances {@code nextSeq} towards {@code limitSeq} while anything is held, releasing held items
     * and counting the missing sequences passed as skipped.
     */
    private void skipHeldBelow(long limitSeq) {
        boolean inGap = false;
        while (heldCount > 0 && nextSeq < limitSeq) {
            int slot = (int) nextSeq & heldMask;
            if (heldItems[slot] != null && heldSeqs[slot] == nextSeq) {
                releaseHeld(slot);
                inGap = false;
            } else {
                if (!inGap) {
                    skippedGaps++;
                    inGap = true;
                }
                skippedPackets++;
            }
            nextSeq++;
        }
        dropStaleArrivals();
    }

    private void releaseHeld(int slot) {
        @SuppressWarnings("unchecked") // only hold() stores here, and only Ts
        T item = (T) heldItems[slot];
        heldItems[slot] = null;
        heldCount--;
        reordered++;
        long held = Math.max(0, lastNowNanos - heldArrivalNanos[slot]);
        int bucket = 0;
        while (bucket < DELAY_BOUNDS_NANOS.length && held > DELAY_BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        delayCounts[bucket]++;
        delaySumNanos += held;
        pushReady(item);
    }

    /** Keeps the arrival ring's head on a held sequence, so its length stays below 2 * capacity. */
    private void dropStaleArrivals() {
        if (heldCount == 0) {
            arrivalHead = arrivalTail;
            return;
        }
        while (arrivalOrder[(int) arrivalHead & arrivalMask] < nextSeq) {
            arrivalHead++;
        }
    }

    private void pushReady(T item) {
        ready[(int) readyTail & readyMask] = item;
        readyTail++;
    }
}
