package io.mlvpn.core.link;

import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.LinkView;

/**
 * An immutable snapshot of the tunnel's links, in configuration order. A reload replaces the whole
 * snapshot, so a thread that read one sees a consistent set for as long as it uses it.
 *
 * <p>Every thread reads the links; only the device reader, which sends on them, takes their
 * {@link SendSide}s ({@code LinkOwnershipTest} checks that no other class calls {@link #sendSide}).
 */
public final class LinkArray implements LinkSet {
    private final LinkRuntime[] links;
    private final SendSide[] sendSides;

    private LinkArray(LinkRuntime[] links) {
        this.links = links;
        this.sendSides = new SendSide[links.length];
        for (int i = 0; i < links.length; i++) {
            sendSides[i] = links[i].send();
        }
    }

    /** The set of the links whose timer sides are {@code timers}, in that order. */
    public static LinkArray of(TimerSide[] timers) {
        LinkRuntime[] links = new LinkRuntime[timers.length];
        for (int i = 0; i < timers.length; i++) {
            links[i] = timers[i].link();
        }
        return new LinkArray(links);
    }

    @Override
    public int size() {
        return links.length;
    }

    @Override
    public LinkView get(int i) {
        return links[i];
    }

    /** The {@code i}th link. */
    public LinkRuntime link(int i) {
        return links[i];
    }

    /** The links, in configuration order: the snapshot itself, which the caller must not modify. */
    public LinkRuntime[] links() {
        return links;
    }

    /** The {@code i}th link's send side; device-reader thread only. */
    public SendSide sendSide(int i) {
        return sendSides[i];
    }
}
