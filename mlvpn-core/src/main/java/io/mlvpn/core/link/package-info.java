/**
 * One link: its live state ({@link io.mlvpn.core.link.LinkRuntime}), what decides it (quality,
 * probing, path MTU), and the device reader's per-link send queue and pacing.
 *
 * <p>Design note, ownership: a link's state is split by the thread that changes it, each part
 * changed only through its own methods: {@link io.mlvpn.core.link.TimerSide} (timer thread),
 * {@link io.mlvpn.core.link.ReceiveSide} (the link's receiver thread),
 * {@link io.mlvpn.core.link.SendSide} (device-reader thread). Every other thread reads
 * {@link io.mlvpn.core.link.LinkRuntime}, which hands out no part; every field here is private
 * ({@code LinkOwnershipTest} checks that, and which classes name each part). A thread asks
 * another for something with a counter it bumps and the owner compares with what it took last,
 * never by writing the owner's field. Parameters and results are non-null unless a method says
 * otherwise.
 */
package io.mlvpn.core.link;
