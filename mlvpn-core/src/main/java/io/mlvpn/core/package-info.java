/**
 * The engine's entry point: {@link io.mlvpn.core.TunnelBuilder} turns a
 * {@link io.mlvpn.api.config.TunnelConfig} into a running {@link io.mlvpn.api.Tunnel}.
 *
 * <p>Design note, threads: each tunnel runs a device-reader thread (device read, scheduling,
 * sealing, sending), a device-writer thread (duplicate drop, device write), one receiver thread per
 * link (receive, authenticate, measure) and a timer thread (link states, keepalives, probes,
 * handshakes, events). Data moves between them only through a bounded ring and pooled buffers; a
 * full ring is a counted drop. Link and tunnel states have one writer, the timer, so events are
 * ordered. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core;
