package io.mlvpn.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tunnel-wide counters. Each is written by one thread (named beside it) except the ones that are
 * atomic; readers take a snapshot at any time.
 */
final class TunnelCounters {
    // Device reader thread.
    volatile long devicePacketsIn;
    volatile long deviceBytesIn;
    volatile long dropsNoLink;
    volatile long dropsOversize;
    volatile long dropsNoBuffer;
    /** Packet-too-big answers held back by the ICMP rate limit. */
    volatile long tooBigSuppressed;
    // Device writer thread.
    volatile long devicePacketsOut;
    volatile long deviceBytesOut;
    volatile long dropsDuplicate;
    volatile long deviceWriteErrors;
    /** Data of an older session lineage that arrived after a newer one's (dropped). */
    volatile long dropsStaleLineage;
    volatile long reordered;
    volatile long lateArrivals;
    volatile long skippedGaps;
    final java.util.concurrent.atomic.AtomicLongArray reorderDelayCounts =
            new java.util.concurrent.atomic.AtomicLongArray(io.mlvpn.core.reorder.ReorderBuffer.DELAY_BOUNDS_NANOS.length + 1);
    volatile long reorderDelaySumNanos;
    // Any thread.
    final AtomicLong dropsQueueFull = new AtomicLong();
    final AtomicLong handshakes = new AtomicLong();
    /** Packets or ticks an engine thread gave up on after an unexpected exception (a bug). */
    final AtomicLong internalErrors = new AtomicLong();
}
