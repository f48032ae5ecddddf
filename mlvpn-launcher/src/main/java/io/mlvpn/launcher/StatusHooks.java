package io.mlvpn.launcher;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import io.mlvpn.api.TunnelListener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns a tunnel's link events into MLVPN's status command calls: {@code rtun_up LINK} when a
 * link comes up, followed by {@code tuntap_up} when it is the first one up; {@code rtun_down LINK}
 * when a link that was up goes down (timeout, disconnect, reload, shutdown), followed by
 * {@code tuntap_down} when none is left up. Changes between down and connecting call nothing.
 *
 * <p>Calls are handed to the sink in event order; the sink must not block (the tunnel's timer
 * thread delivers the events). Safe for concurrent use.
 */
final class StatusHooks implements TunnelListener {
    private final Consumer<List<String>> calls;
    /** Guarded by this. */
    private final Set<String> up = new LinkedHashSet<>();

    /** @param calls receives each call's arguments after the device name, e.g. {@code [rtun_up, adsl]} */
    StatusHooks(Consumer<List<String>> calls) {
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    @Override
    public synchronized void linkStateChanged(LinkEvent event) {
        boolean wasUp = event.from() == LinkState.UP;
        boolean isUp = event.to() == LinkState.UP;
        if (!wasUp && isUp && up.add(event.link())) {
            calls.accept(List.of("rtun_up", event.link()));
            if (up.size() == 1) {
                calls.accept(List.of("tuntap_up"));
            }
        } else if (wasUp && !isUp && up.remove(event.link())) {
            calls.accept(List.of("rtun_down", event.link()));
            if (up.isEmpty()) {
                calls.accept(List.of("tuntap_down"));
            }
            notifyAll();
        }
    }

    /** The links up now, in the order they came up. */
    synchronized List<String> upLinks() {
        return List.copyOf(up);
    }

    /**
     * Waits until no link is up (at shutdown: until the tunnel's close has raised every down
     * event, so the down calls are queued).
     *
     * @return false when links were still up after {@code timeoutMillis}
     */
    synchronized boolean awaitNoLinkUp(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!up.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
