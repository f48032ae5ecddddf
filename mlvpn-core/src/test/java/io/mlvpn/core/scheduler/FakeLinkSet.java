package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.LinkSet;

/** A fixed set of {@link FakeLink}s. */
final class FakeLinkSet implements LinkSet {
    private final FakeLink[] links;

    private FakeLinkSet(FakeLink[] links) {
        this.links = links;
    }

    /** One link per configured upload rate, bits per second (0 = unset), all up. */
    static FakeLinkSet withRates(long... uploadBitsPerSecond) {
        FakeLink[] links = new FakeLink[uploadBitsPerSecond.length];
        for (int i = 0; i < links.length; i++) {
            links[i] = new FakeLink(i, uploadBitsPerSecond[i]);
        }
        return new FakeLinkSet(links);
    }

    @Override public int size() { return links.length; }
    @Override public FakeLink get(int i) { return links[i]; }
}
