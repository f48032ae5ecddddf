package io.mlvpn.core;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which of this end's receiving links takes each of the peer's sending links (by the link id its
 * datagrams carry, which the nonce covers, so it cannot be changed in transit). Only the owning
 * link's receiver checks a sending link's replay window and accepts its datagrams; copies of them
 * that arrive on another port are never accepted there, and so can neither be delivered twice nor
 * move that port's peer address.
 *
 * <p>Tunnel-wide, not per session, so that a rekey (where a copy could otherwise race the genuine
 * datagrams to claim a link) starts with the bindings already known. A sending link is claimed by
 * the first receiving link that authenticates one of its datagrams; it moves to another receiving
 * link only on evidence that its datagrams arrive there and not at the owner (see
 * {@link SenderWindows#evidence}): an authenticated datagram newer than anything the owner
 * accepted, after the owner accepted nothing from it for {@link #OWNER_SILENCE_NANOS}, or
 * {@link #TAKEOVER_PACKETS} such datagrams in a row while the owner accepts nothing. That heals a
 * binding a racing copy won, and follows a peer whose links changed order (a reload), without
 * letting copies of datagrams the owner accepted move it.
 *
 * <p>Threading: any receiver thread; lock-free.
 */
final class SenderOwners {
    /** Evidence needed to move a sending link to another receiving link. */
    static final int TAKEOVER_PACKETS = 3;
    /**
     * Silence of the owner, on one sending link, after which one newer datagram elsewhere moves
     * it: long against the gaps of a link in use, short against the probes of one that is down.
     */
    static final long OWNER_SILENCE_NANOS = 1_000_000_000L;
    /** No receiving link owns the sending link yet. */
    static final int NONE = -1;

    private final AtomicIntegerArray owners;

    SenderOwners() {
        int[] none = new int[Session.MAX_LINKS];
        Arrays.fill(none, NONE);
        this.owners = new AtomicIntegerArray(none);
    }

    /** The receiving link index that owns sending link {@code sender}, or {@link #NONE}. */
    int owner(int sender) {
        return owners.get(sender);
    }

    /** Makes {@code receiver} the owner of an unowned sending link; false when another was first. */
    boolean claim(int sender, int receiver) {
        return owners.compareAndSet(sender, NONE, receiver);
    }

    /** Moves the sending link from {@code from} to {@code to}; false when it changed meanwhile. */
    boolean takeOver(int sender, int from, int to) {
        return owners.compareAndSet(sender, from, to);
    }
}
