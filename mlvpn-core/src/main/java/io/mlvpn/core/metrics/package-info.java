/**
 * The engine's counters: {@link io.mlvpn.core.metrics.TunnelCounters} for the tunnel,
 * {@link io.mlvpn.core.metrics.LinkCounters} per link, and the snapshot they assemble into the
 * API's {@link io.mlvpn.api.TunnelStats}.
 *
 * <p>Design note: every counter has one writer thread, or is atomic or striped where several
 * threads count it, so counting neither locks nor allocates on the packet path; readers take a
 * snapshot at any time. Every counter is exported (core's {@code CounterExportTest} checks each
 * reaches the snapshot). Engine-internal, not API: public only so that the engine's package can
 * reach it. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.metrics;
