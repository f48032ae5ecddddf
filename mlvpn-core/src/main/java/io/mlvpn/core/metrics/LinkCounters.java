package io.mlvpn.core.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One link's cumulative counters, exported in {@link io.mlvpn.api.LinkStats}.
 *
 * <p>All are atomic: sends come from the device reader, the timer and the handshake; receives
 * from the link's receiver thread, and for a moment from two of them when the socket is reopened
 * (the old receiver finishes its batch while the new one starts). An atomic add costs about what
 * the volatile store it replaces did, and allocates nothing.
 *
 * <p>Adding a counter: a field here, a component of {@link io.mlvpn.api.LinkStats} filled in
 * {@code LinkRuntime.stats()}, a line in the launcher's status JSON and metrics, a row in
 * {@code docs/control.md}. {@code LinkCounterExportTest} and the launcher's {@code CounterExportTest}
 * fail until all of them are there.
 */
public final class LinkCounters {
    /** Datagrams the transport accepted. */
    public final AtomicLong txPackets = new AtomicLong();
    /** UDP payload bytes of those. */
    public final AtomicLong txBytes = new AtomicLong();
    /** Datagrams the transport refused or could not send because its socket failed. */
    public final AtomicLong txRefused = new AtomicLong();
    /** Authenticated datagrams received. */
    public final AtomicLong rxPackets = new AtomicLong();
    /** UDP payload bytes of those. */
    public final AtomicLong rxBytes = new AtomicLong();
    /** Received datagrams that failed authentication or named no session. */
    public final AtomicLong dropsAuth = new AtomicLong();
    /** Received datagrams that were replays or too old for the replay window. */
    public final AtomicLong dropsReplay = new AtomicLong();
    /** Received datagrams too short, of a bad version or type, or inconsistent. */
    public final AtomicLong dropsMalformed = new AtomicLong();
    /** Times the link went from up to down (timer thread). */
    public final AtomicLong downTransitions = new AtomicLong();
    /** Packets sent again on other links after this one turned suspect (device reader). */
    public final AtomicLong rescuedPackets = new AtomicLong();
}
