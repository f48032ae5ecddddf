/**
 * The launcher's control endpoint: JSON status and Prometheus metrics over a loopback HTTP server
 * and a unix domain socket, administrative actions (link down/up, reload), the live dashboard, the
 * failover flight recorder, and the client side used by the {@code status}, {@code links} and
 * {@code reload} commands. Field and metric names are documented in {@code docs/control.md}.
 *
 * <p>Nothing here is on a per-packet path: it reads the tunnel's immutable snapshots
 * ({@link io.mlvpn.api.Tunnel#stats()}) and its link events, on its own few named threads.
 * JSON and the Prometheus text format are written by hand (no dependency).
 *
 * <p>Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.launcher.control;
