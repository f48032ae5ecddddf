package io.mlvpn.core.scheduler;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.scheduler.LinkView;

/** A link whose state, configuration and measurements a test sets; measurements are zero until set. */
final class FakeLink implements LinkView {
    private final int index;
    LinkState state = LinkState.UP;
    long uploadBitsPerSecond;
    long srttMicros;
    long rttVarMicros;
    long minRttMicros;
    double lossRatio;
    long txBytes;
    boolean fallbackOnly;
    long deliveryRateBitsPerSecond;
    long inFlightBytes;

    FakeLink(int index, long uploadBitsPerSecond) {
        this.index = index;
        this.uploadBitsPerSecond = uploadBitsPerSecond;
    }

    @Override public int index() { return index; }
    @Override public String name() { return "link" + index; }
    @Override public LinkState state() { return state; }
    @Override public long configuredUploadBitsPerSecond() { return uploadBitsPerSecond; }
    @Override public long srttMicros() { return srttMicros; }
    @Override public long rttVarMicros() { return rttVarMicros; }
    @Override public long minRttMicros() { return minRttMicros; }
    @Override public double lossRatio() { return lossRatio; }
    @Override public long txBytes() { return txBytes; }
    @Override public boolean fallbackOnly() { return fallbackOnly; }
    @Override public long deliveryRateBitsPerSecond() { return deliveryRateBitsPerSecond; }
    @Override public long inFlightBytes() { return inFlightBytes; }
}
