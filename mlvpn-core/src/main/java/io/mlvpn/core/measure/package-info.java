/**
 * Per-link measurements fed by keepalives, acknowledgements and sends: round-trip time (RFC 6298)
 * and its recent minimum, send rate over a sliding window, and loss from the peer's receive
 * reports; {@link io.mlvpn.core.measure.Queueing} tells from the round trips whether a link queues
 * what it is sent (congestion rather than a fault).
 *
 * <p>Each estimator has one writer thread (the thread that owns the link's receive or send side)
 * and publishes its results through volatile fields or opaque array reads, so schedulers and
 * statistics read them from other threads without locks. Updates allocate nothing.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.measure;
