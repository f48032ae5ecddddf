package io.mlvpn.core.reorder;

import java.util.Arrays;

/**
 * Drops second copies of tunnel-wide data sequences: a sliding bitmap window like a replay window
 * (RFC 6479), on its own for a tunnel that does not reorder, and inside {@link ReorderBuffer}.
 *
 * <p>The bitmap has a power-of-two number of bits addressed by the sequence modulo its size;
 * moving the highest sequence forward clears only the 64-bit blocks it passes, so each call costs
 * O(1) amortised and allocates nothing. One block is slack so that the block of the highest
 * sequence never aliases one still inside the window: the window covers the highest sequence seen
 * and the {@link #windowPackets()} {@code - 1} below it. Anything older is refused as too old, as
 * it can no longer be told from a duplicate.
 *
 * <p>Valid sequences are {@code 0 .. Long.MAX_VALUE - 1}; others (which no peer sends: the
 * sequence starts at 0 per session lineage) are refused and counted as too old. Counters are
 * cumulative: {@link #reset()} does not clear them.
 *
 * <p>Not safe for concurrent use: owned by the device-writer thread.
 */
public final class DuplicateFilter {

    /** The window of {@link #DuplicateFilter()}: 8192 bits less one slack block. */
    public static final int DEFAULT_WINDOW_PACKETS = 8128;

    /** The largest window a filter may be asked for. */
    public static final int MAX_WINDOW_PACKETS = 1 << 24;

    /** {@link #record} verdict: first sighting, now recorded. */
    static final int FIRST = 0;
    /** {@link #record} verdict: seen before inside the window. */
    static final int SEEN = 1;
    /** {@link #record} verdict: below the window (or invalid): cannot be told from a duplicate. */
    static final int OUTSIDE = 2;

    private static final int BLOCK_SHIFT = 6; // 64 bits per long block
    private static final int BITS_PER_BLOCK = 1 << BLOCK_SHIFT;
    private static final int BLOCK_BIT_MASK = BITS_PER_BLOCK - 1;

    private final long[] bitmap;
    private final int blockIndexMask;
    private final int windowPackets;
    private long highest = -1;
    private long duplicates;
    private long tooOld;

    /** A filter with a window of {@value #DEFAULT_WINDOW_PACKETS} sequences. */
    public DuplicateFilter() {
        this(DEFAULT_WINDOW_PACKETS);
    }

    /**
     * A filter whose window covers at least {@code windowPackets} sequences (the bitmap is rounded
     * up to a power of two plus the slack block; see {@link #windowPackets()}).
     *
     * @param windowPackets 1 .. {@value #MAX_WINDOW_PACKETS}
     */
    public DuplicateFilter(int windowPackets) {
        if (windowPackets < 1 || windowPackets > MAX_WINDOW_PACKETS) {
            throw new IllegalArgumentException("windowPackets outside 1.." + MAX_WINDOW_PACKETS + ": " + windowPackets);
        }
        int bits = nextPowerOfTwo(windowPackets + BITS_PER_BLOCK);
        this.bitmap = new long[bits >>> BLOCK_SHIFT];
        this.blockIndexMask = bitmap.length - 1;
        this.windowPackets = bits - BITS_PER_BLOCK;
    }

    /**
     * Records {@code seq} and tells whether this is its first sighting.
     *
     * @return true when {@code seq} is new (now recorded); false for a duplicate (counted in
     *     {@link #duplicates()}) or a sequence below the window or invalid (counted in
     *     {@link #tooOld()})
     */
    public boolean firstTime(long seq) {
        return record(seq) == FIRST;
    }

    /** Records {@code seq} and returns {@link #FIRST}, {@link #SEEN} or {@link #OUTSIDE}, counting the last two. */
    int record(long seq) {
        if (seq < 0 || seq == Long.MAX_VALUE) {
            tooOld++;
            return OUTSIDE;
        }
        if (seq > highest) {
            clearBlocksUpTo(seq);
            bitmap[blockIndex(seq)] |= bitMask(seq);
            highest = seq;
            return FIRST;
        }
        if (highest - seq >= windowPackets) {
            tooOld++;
            return OUTSIDE;
        }
        int index = blockIndex(seq);
        long mask = bitMask(seq);
        if ((bitmap[index] & mask) != 0) {
            duplicates++;
            return SEEN;
        }
        bitmap[index] |= mask;
        return FIRST;
    }

    /** The highest sequence recorded, or {@code -1} before the first (and after {@link #reset()}). */
    public long highest() {
        return highest;
    }

    /** How many sequences the window covers: the highest recorded and those just below it. */
    public int windowPackets() {
        return windowPackets;
    }

    /** Second (and later) copies refused so far. */
    public long duplicates() {
        return duplicates;
    }

    /** Sequences refused as older than the window, or invalid. */
    public long tooOld() {
        return tooOld;
    }

    /** Forgets every recorded sequence (a new session lineage); counters are kept. */
    public void reset() {
        Arrays.fill(bitmap, 0L);
        highest = -1;
    }

    /** Clears the blocks after the current highest one, up to and including {@code seq}'s. */
    private void clearBlocksUpTo(long seq) {
        // Signed shift: an empty filter (highest -1) sits in block -1, whose successors are clean.
        long currentBlock = highest >> BLOCK_SHIFT;
        long blocksToClear = Math.min((seq >> BLOCK_SHIFT) - currentBlock, bitmap.length);
        for (long i = 1; i <= blocksToClear; i++) {
            bitmap[(int) ((currentBlock + i) & blockIndexMask)] = 0L;
        }
    }

    /** The smallest power of two at least {@code n}, for {@code 2 <= n <= 2^30}. */
    static int nextPowerOfTwo(int n) {
        return 1 << (Integer.SIZE - Integer.numberOfLeadingZeros(n - 1));
    }

    private int blockIndex(long seq) {
        return (int) ((seq >> BLOCK_SHIFT) & blockIndexMask);
    }

    private static long bitMask(long seq) {
        return 1L << (int) (seq & BLOCK_BIT_MASK);
    }
}
