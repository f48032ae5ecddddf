package io.mlvpn.core.wire;

/**
 * Rebuilds a 64-bit counter from its low 32 bits, as QUIC rebuilds packet numbers: the result is
 * the value with those low bits closest to the expected next value. Stateless and allocation-free.
 */
public final class TruncatedCounter {
    private static final long WINDOW = 1L << 32;
    private static final long HALF = WINDOW >>> 1;
    private static final long MASK = WINDOW - 1;

    private TruncatedCounter() {
    }

    /**
     * @param highest highest full value accepted so far, or -1 when none
     * @param low32 the truncated value, 0 to 2^32-1
     * @return the full value; never negative
     */
    public static long expand(long highest, long low32) {
        long expected = highest + 1;
        long candidate = (expected & ~MASK) | (low32 & MASK);
        if (candidate <= expected - HALF && candidate + WINDOW >= 0) {
            candidate += WINDOW;
        } else if (candidate > expected + HALF && candidate >= WINDOW) {
            candidate -= WINDOW;
        }
        return candidate;
    }
}
