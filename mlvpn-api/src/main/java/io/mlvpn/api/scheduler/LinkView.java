package io.mlvpn.api.scheduler;

import io.mlvpn.api.LinkState;

/**
 * What a scheduler may know about one link, read without locks from the engine's live
 * measurements. Values may change between two calls; a scheduler reads each once per decision.
 */
public interface LinkView {

    /** Position of the link in the tunnel's configuration, 0-based. */
    int index();

    /** The link's name. */
    String name();

    /** Current state. */
    LinkState state();

    /** Configured upload capacity, bits per second; 0 when not configured. */
    long configuredUploadBitsPerSecond();

    /** Smoothed round-trip time in microseconds; 0 before the first sample. */
    long srttMicros();

    /** Round-trip time variation in microseconds; 0 before the first sample. */
    long rttVarMicros();

    /**
     * The smallest recent round trip in microseconds (the path without queueing), 0 when unknown.
     * {@code srttMicros() - minRttMicros()} is how long packets now wait in the link's queues,
     * which rises before a rate-limited link drops anything.
     */
    default long minRttMicros() {
        return 0;
    }

    /** Recent loss reported by the peer, 0 to 1. */
    double lossRatio();

    /** UDP payload bytes sent on this link since start. */
    long txBytes();

    /** True when the link carries data only while no normal link is healthy ({@code link.NAME.fallback.only}). */
    boolean fallbackOnly();

    /**
     * Rate at which the peer reported receiving this link's datagrams, UDP payload bits per second;
     * 0 before two reports.
     */
    long deliveryRateBitsPerSecond();

    /** Bytes sent on this link that the peer has not yet reported as received. */
    long inFlightBytes();
}
