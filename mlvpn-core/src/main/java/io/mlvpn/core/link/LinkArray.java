package io.mlvpn.core.link;

import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.LinkView;

/**
 * An immutable snapshot of the tunnel's links, in configuration order. A reload replaces the whole
 * snapshot, so a thread that read one sees a consistent set for as long as it uses it.
 */
public final class LinkArray implements LinkSet {
    public final LinkRuntime[] links;

    public LinkArray(LinkRuntime[] links) {
        this.links = links.clone();
    }

    @Override
    public int size() {
        return links.length;
    }

    @Override
    public LinkView get(int i) {
        return links[i];
    }
}
