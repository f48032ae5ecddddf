package io.mlvpn.core.wire;

/**
 * The 16-bit timestamps of the header: units of 100 µs, modulo 65536 (6.5536 s). Static and
 * allocation-free.
 */
public final class Stamps {
    /** Nanoseconds per stamp unit. */
    public static final long NANOS_PER_UNIT = 100_000L;
    /** Largest RTT sample accepted, microseconds; longer ones would alias. */
    public static final long MAX_RTT_MICROS = 5_000_000L;

    private Stamps() {
    }

    /** The stamp for a monotonic time. */
    public static int of(long nanos) {
        return (int) ((nanos / NANOS_PER_UNIT) & 0xFFFF);
    }

    /** Units from {@code then} to {@code now}, modulo 65536. */
    public static int elapsed(int now, int then) {
        return (now - then) & 0xFFFF;
    }

    /**
     * The echo to send: the peer's stamp plus how long it was held, or {@link Header#NO_ECHO}
     * when none was received or it was held longer than 1 s. The result never equals NO_ECHO by
     * accident: a value that would is moved one unit earlier.
     */
    public static int echo(int peerStamp, long receivedAtNanos, long nowNanos, boolean have) {
        if (!have) {
            return Header.NO_ECHO;
        }
        long held = nowNanos - receivedAtNanos;
        if (held < 0 || held > 1_000_000_000L) {
            return Header.NO_ECHO;
        }
        int e = (peerStamp + (int) (held / NANOS_PER_UNIT)) & 0xFFFF;
        return e == Header.NO_ECHO ? 0xFFFE : e;
    }

    /**
     * An RTT sample in microseconds from an echo received now, or -1 when there is none or it is
     * implausible (above {@link #MAX_RTT_MICROS}).
     */
    public static long rttMicros(int echo, long nowNanos) {
        if (echo == Header.NO_ECHO) {
            return -1;
        }
        // The middle of the 100 µs interval the true value lies in: unbiased, and never 0, so the
        // sub-unit round trips of a LAN or loopback still count as samples.
        long micros = elapsed(of(nowNanos), echo) * (NANOS_PER_UNIT / 1000L) + NANOS_PER_UNIT / 2000L;
        return micros > MAX_RTT_MICROS ? -1 : micros;
    }
}
