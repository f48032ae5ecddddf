package io.mlvpn.core.scheduler;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.scheduler.LinkView;

/** A link whose state and configured bandwidth a test sets; measurements are zero. */
final class FakeLink implements LinkView {
    private final int index;
    LinkState state = LinkState.UP;
    long uploadBitsPerSecond;

    FakeLink(int index, long uploadBitsPerSecond) {
        this.index = index;
        this.uploadBitsPerSecond = uploadBitsPerSecond;
    }

    @Override public int index() { return index; }
    @Override public String name() { return "link" + index; }
    @Override public LinkState state() { return state; }
    @Override public long configuredUploadBitsPerSecond() { return uploadBitsPerSecond; }
    @Override public long srttMicros() { return 0; }
    @Override public long rttVarMicros() { return 0; }
    @Override public double lossRatio() { return 0; }
    @Override public long txBytes() { return 0; }
}
