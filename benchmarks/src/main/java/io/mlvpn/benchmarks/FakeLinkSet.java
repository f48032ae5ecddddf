package io.mlvpn.benchmarks;

import io.mlvpn.api.scheduler.LinkSet;

/** A fixed set of {@link FakeLink}s, indexed as configured. Not safe for concurrent use. */
final class FakeLinkSet implements LinkSet {
    private final FakeLink[] links;

    /** Links {@code 0 .. count-1}. */
    FakeLinkSet(int count) {
        links = new FakeLink[count];
        for (int i = 0; i < count; i++) {
            links[i] = new FakeLink(i);
        }
    }

    @Override
    public int size() {
        return links.length;
    }

    @Override
    public FakeLink get(int i) {
        return links[i];
    }
}
