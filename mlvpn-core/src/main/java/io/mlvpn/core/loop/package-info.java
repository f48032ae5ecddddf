/**
 * Threads, hand-off rings and time: the bottom layer of the engine.
 *
 * <p>Design note: each engine thread owns its state; data moves between threads only through
 * bounded rings whose {@code offer} fails (and the caller counts a drop) rather than block or grow.
 * Time comes from a {@link io.mlvpn.api.Clock} so that everything time-driven can be tested
 * with a manual clock. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.loop;
