/**
 * The schedulers that choose the link, or links, for each outgoing packet; {@link
 * io.mlvpn.core.scheduler.Schedulers} creates them by name.
 *
 * <p>Every scheduler follows one order of use, computed per packet from the links' states: the UP
 * links that are not fallback-only; when there are none, the UP fallback-only links; when there
 * are none, the degraded links (LOSSY, HIGH_LATENCY, PROBATION) of either kind; SUSPECT, DOWN and
 * CONNECTING links never get data. Within that group, {@code adaptive} and {@code wrr} split bytes
 * by weight (measured and configured rates), {@code earliest-arrival} picks the link where the
 * packet is predicted to arrive first, and {@code redundant} sends it on the best few.
 *
 * <p>Each implements {@link io.mlvpn.api.scheduler.Scheduler}: it is called from the tunnel's
 * device-reader thread only, keeps its state in plain fields, and allocates nothing in
 * {@code select}. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.scheduler;
