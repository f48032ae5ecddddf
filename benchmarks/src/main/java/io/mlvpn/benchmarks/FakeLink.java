package io.mlvpn.benchmarks;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.scheduler.LinkView;

/**
 * A link a scheduler can decide from, with fixed measurements and byte counters that move as
 * packets are "sent" on it: {@link #onSent} adds to the bytes sent and in flight, and an
 * acknowledgement of half a bandwidth-delay product arrives whenever more than one is in flight,
 * so in-flight bytes stay bounded as on a real link.
 *
 * <p>Not safe for concurrent use (like the engine's links, written by the device-reader thread).
 */
final class FakeLink implements LinkView {
    private final int index;
    private final String name;
    private final long rateBitsPerSecond;
    private final long srttMicros;
    private final long bdpBytes;
    private long txBytes;
    private long inFlightBytes;

    /**
     * Link {@code index}: the higher the index, the slower and the farther, so that the
     * schedulers have a real choice to make.
     */
    FakeLink(int index) {
        this.index = index;
        this.name = "link" + index;
        this.rateBitsPerSecond = 100_000_000L / (index + 1);
        this.srttMicros = 10_000L + 5_000L * index;
        this.bdpBytes = Math.max(16 * 1024, rateBitsPerSecond / 8 * srttMicros / 1_000_000L);
    }

    /** Counts {@code bytes} sent, and acknowledges half a bandwidth-delay product when more is in flight. */
    void onSent(int bytes) {
        txBytes += bytes;
        long inFlight = inFlightBytes + bytes;
        if (inFlight > bdpBytes) {
            inFlight -= bdpBytes / 2;
        }
        inFlightBytes = inFlight;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LinkState state() {
        return LinkState.UP;
    }

    @Override
    public long configuredUploadBitsPerSecond() {
        // Every other link has a configured rate, so both kinds of weight are exercised.
        return index % 2 == 0 ? rateBitsPerSecond : 0;
    }

    @Override
    public long srttMicros() {
        return srttMicros;
    }

    @Override
    public long rttVarMicros() {
        return srttMicros / 8;
    }

    @Override
    public double lossRatio() {
        return index == 2 ? 0.02 : 0.0;
    }

    @Override
    public long txBytes() {
        return txBytes;
    }

    @Override
    public boolean fallbackOnly() {
        return false;
    }

    @Override
    public long deliveryRateBitsPerSecond() {
        return rateBitsPerSecond * 9 / 10;
    }

    @Override
    public long inFlightBytes() {
        return inFlightBytes;
    }

    @Override
    public String toString() {
        return name;
    }
}
