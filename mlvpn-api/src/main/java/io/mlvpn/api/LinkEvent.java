package io.mlvpn.api;

/**
 * A link changed state. Instances are immutable.
 *
 * @param link the link's name
 * @param from previous state
 * @param to new state
 * @param reason why, in a few words ({@code "no datagram for 10000 ms"}, {@code "session established"})
 * @param epochMillis wall-clock time of the change
 */
public record LinkEvent(String link, LinkState from, LinkState to, String reason, long epochMillis) {
}
