package io.mlvpn.core.crypto;

import java.util.Arrays;

/**
 * Refuses replayed and too-old packet sequence numbers of one link and direction: the sliding
 * bitmap window of RFC 6479.
 *
 * <p>The bitmap holds 8192 bits in 128 {@code long} blocks, addressed by the sequence number modulo
 * 8192. Moving the highest sequence forward clears only the blocks it passes (all of them after a
 * jump of a whole bitmap or more), so each call costs O(1) amortised and allocates nothing. One
 * block is kept as slack so that the block holding the highest sequence never aliases one still
 * inside the window; hence the window covers {@value #WINDOW_SIZE} sequences: the highest accepted
 * one and the {@code WINDOW_SIZE - 1} below it.
 *
 * <p>Use {@link #mayAccept} as a cheap filter before decrypting and {@link #accept} only after the
 * packet authenticated, so that a forged sequence number can never move the window.
 *
 * <p>Sequence numbers are counters starting at 0; negative values are refused.
 *
 * <p>Not safe for concurrent use: owned by the one thread that opens the link's packets.
 */
public final class ReplayWindow {

    /** Sequences accepted below the highest one seen, counting the highest itself. */
    public static final int WINDOW_SIZE = 8128;

    private static final int BLOCK_SHIFT = 6; // 64 bits per long block
    private static final int BLOCK_BIT_MASK = (1 << BLOCK_SHIFT) - 1;
    private static final int BLOCKS = 128;
    private static final int BLOCK_INDEX_MASK = BLOCKS - 1;

    private final long[] bitmap = new long[BLOCKS];
    private long highest = -1;

    /** Creates an empty window: the first non-negative sequence will be accepted. */
    public ReplayWindow() {
    }

    /**
     * Tells, without changing anything, whether {@link #accept} would take {@code seq} now.
     *
     * @return false for a negative, too old or already accepted sequence
     */
    public boolean mayAccept(long seq) {
        if (seq < 0) {
            return false;
        }
        if (seq > highest) {
            return true;
        }
        if (highest - seq >= WINDOW_SIZE) {
            return false;
        }
        return (bitmap[blockIndex(seq)] & bitMask(seq)) == 0;
    }

    /**
     * Records {@code seq} as received. Call only for packets that authenticated.
     *
     * @return true when the sequence is new and inside the window (now recorded); false for a
     *     negative, too old or duplicate sequence (nothing changes)
     */
    public boolean accept(long seq) {
        if (seq < 0) {
            return false;
        }
        if (seq > highest) {
            clearBlocksUpTo(seq);
            bitmap[blockIndex(seq)] |= bitMask(seq);
            highest = seq;
            return true;
        }
        if (highest - seq >= WINDOW_SIZE) {
            return false;
        }
        int index = blockIndex(seq);
        long mask = bitMask(seq);
        if ((bitmap[index] & mask) != 0) {
            return false;
        }
        bitmap[index] |= mask;
        return true;
    }

    /** The highest sequence accepted so far, or {@code -1} before the first. */
    public long highest() {
        return highest;
    }

    /** Forgets everything, as after construction (for a new key, whose counters restart). */
    public void reset() {
        Arrays.fill(bitmap, 0L);
        highest = -1;
    }

    /** Clears the blocks after the current highest one, up to and including {@code seq}'s. */
    private void clearBlocksUpTo(long seq) {
        // Signed shift: an empty window (highest -1) sits in block -1, whose successors are clean.
        long currentBlock = highest >> BLOCK_SHIFT;
        long blocksToClear = Math.min((seq >> BLOCK_SHIFT) - currentBlock, BLOCKS);
        for (long i = 1; i <= blocksToClear; i++) {
            bitmap[(int) ((currentBlock + i) & BLOCK_INDEX_MASK)] = 0L;
        }
    }

    private static int blockIndex(long seq) {
        return (int) ((seq >> BLOCK_SHIFT) & BLOCK_INDEX_MASK);
    }

    private static long bitMask(long seq) {
        return 1L << (int) (seq & BLOCK_BIT_MASK);
    }
}
