/**
 * What an application embedding mlvpn-java programs against: the {@link io.mlvpn.api.Tunnel}, its
 * {@link io.mlvpn.api.Link}s, their states, statistics snapshots and events, and the
 * {@link io.mlvpn.api.Clock} the engine reads time from.
 *
 * <p>This module depends on nothing but {@code java.base}. Parameters and results are non-null
 * unless a method says otherwise.
 */
package io.mlvpn.api;
