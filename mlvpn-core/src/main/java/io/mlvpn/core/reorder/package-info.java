/**
 * The receiver's duplicate drop and reorder buffer on the tunnel-wide data sequence, owned by the
 * device-writer thread.
 *
 * <p>Design note. Links of uneven delay deliver a bonded stream out of order; TCP reads reordering
 * as loss, so {@link io.mlvpn.core.reorder.ReorderBuffer} holds packets that arrive ahead of a gap
 * and releases them in sequence order. Improvements over MLVPN 2.3's buffer (REFERENCE.md section 7):
 * <ul>
 *   <li>Bounded by the configured capacity alone (no fixed 512-slot pool), allocation-free, and
 *       held items are always released in sequence order, never in arrival order.</li>
 *   <li>A gap is given up when the oldest held packet has waited the gap timeout, per gap, instead
 *       of one countdown re-armed on every arrival (which a steady stream keeps from ever firing);
 *       the timeout follows the links' delay <em>spread</em>
 *       ({@link io.mlvpn.core.reorder.ReorderBuffer#gapTimeoutNanos(long[], long[], int, long, long)}),
 *       not a multiple of the largest delay.</li>
 *   <li>A gap no link can still fill is released at once, without waiting for any timeout:
 *       {@link io.mlvpn.core.reorder.LinkFrontiers} knows, per sender link, the highest data
 *       sequence delivered, and each link is first in, first out; it also measures the links'
 *       one-way delay spread from the data's own stamps, which floors the timeout, and tells
 *       when a link that has not passed a gap is still delivering, so the gap is waited for.</li>
 *   <li>Duplicates are dropped by a window bitmap covering held and recently delivered
 *       sequences ({@link io.mlvpn.core.reorder.DuplicateFilter}, also usable alone when
 *       reordering is off); a packet whose gap was skipped is delivered once, out of order, and
 *       counted as late; one far ahead releases what is held and restarts the window there rather
 *       than failing; nothing is delivered twice.</li>
 *   <li>The owner flushes when a link dies, since its gaps will not fill, and resets per session
 *       lineage, so a restarted peer starting again at 0 is not refused.</li>
 * </ul>
 *
 * <p>Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.reorder;
