/**
 * The schedulers that choose the link, or links, for each outgoing packet.
 *
 * <p>Each implements {@link io.mlvpn.api.scheduler.Scheduler}: it is called from the tunnel's
 * device-reader thread only, keeps its state in plain fields, and allocates nothing in
 * {@code select}. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.scheduler;
