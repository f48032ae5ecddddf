package io.mlvpn.core;

import io.mlvpn.core.crypto.ReplayWindow;
import java.util.Arrays;

/**
 * One receiving link's view, within one session, of the peer's sending links: a replay window for
 * each sending link it owns (see {@link SenderOwners}), and for the others the evidence that
 * would let it take one over. Belongs to that link's receiver thread; allocation-free after the
 * first datagram of a sending link.
 */
final class SenderWindows {
    private final ReplayWindow[] windows = new ReplayWindow[Session.MAX_LINKS];
    /** Per sending link: sequences at or below this are refused (what an earlier owner accepted). */
    private final long[] floors = new long[Session.MAX_LINKS];
    /** Per sending link not owned: the newest sequence counted as evidence. */
    private final long[] evidenceSequence = new long[Session.MAX_LINKS];
    /** Per sending link not owned: the owner's highest accepted sequence when the streak began. */
    private final long[] evidenceMark = new long[Session.MAX_LINKS];
    private final int[] streak = new int[Session.MAX_LINKS];

    SenderWindows() {
        Arrays.fill(floors, -1);
        Arrays.fill(evidenceSequence, -1);
    }

    /** The replay window of a sending link this receiving link owns, made on first use. */
    ReplayWindow window(int sender) {
        ReplayWindow w = windows[sender];
        if (w == null) {
            w = new ReplayWindow();
            windows[sender] = w;
        }
        return w;
    }

    /** The replay window of a sending link, or null before one of its datagrams authenticated here. */
    ReplayWindow existingWindow(int sender) {
        return windows[sender];
    }

    /** The sequence below which an owned sending link's datagrams are refused; -1: none. */
    long floor(int sender) {
        return floors[sender];
    }

    /** The sequence evidence for a sending link owned elsewhere is rebuilt from. */
    long lastEvidence(int sender) {
        return evidenceSequence[sender];
    }

    /**
     * Counts an authenticated datagram of a sending link owned elsewhere, with sequence {@code seq}
     * above {@code ownerHighest}, the highest the owner has accepted in this session.
     *
     * @param ownerSilentNanos how long the owner has accepted nothing from the sending link
     * @return true when it completes the evidence for a takeover: the owner silent for
     *     {@link SenderOwners#OWNER_SILENCE_NANOS}, or {@link SenderOwners#TAKEOVER_PACKETS}
     *     datagrams with rising sequences while the owner's highest stood still
     */
    boolean evidence(int sender, long seq, long ownerHighest, long ownerSilentNanos) {
        if (seq <= evidenceSequence[sender]) {
            return false;
        }
        evidenceSequence[sender] = seq;
        if (streak[sender] > 0 && evidenceMark[sender] == ownerHighest) {
            streak[sender]++;
        } else {
            streak[sender] = 1;
            evidenceMark[sender] = ownerHighest;
        }
        return streak[sender] >= SenderOwners.TAKEOVER_PACKETS || ownerSilentNanos >= SenderOwners.OWNER_SILENCE_NANOS;
    }

    /**
     * Starts owning a sending link taken over from another receiving link: a clean window that
     * refuses everything at or below {@code floor}, which the previous owner may have accepted.
     */
    void tookOver(int sender, long floor) {
        window(sender).reset();
        floors[sender] = floor;
        streak[sender] = 0;
    }
}
