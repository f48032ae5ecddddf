package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The rules that decide which receiving link takes a sending link: claimed once, moved only on
 * evidence a copier cannot make from datagrams the owner already accepted.
 */
class SenderWindowsTest {

    @Test
    void aSendingLinkIsClaimedOnceAndMovedOnlyFromItsOwner() {
        SenderOwners owners = new SenderOwners();
        assertEquals(SenderOwners.NONE, owners.owner(3));
        assertTrue(owners.claim(3, 1));
        assertFalse(owners.claim(3, 0), "the first claim holds");
        assertFalse(owners.takeOver(3, 0, 2), "only from the owner it has");
        assertTrue(owners.takeOver(3, 1, 0));
        assertEquals(0, owners.owner(3));
    }

    @Test
    void takeoverNeedsThreeRisingDatagramsWhileTheOwnerAcceptsNothing() {
        SenderWindows view = new SenderWindows();
        assertFalse(view.evidence(0, 11, 10, 0));
        assertFalse(view.evidence(0, 12, 10, 0));
        assertTrue(view.evidence(0, 13, 10, 0), "three in a row, the owner still at 10");
    }

    @Test
    void oneNewerDatagramSufficesOnceTheOwnerWasSilentForASecond() {
        SenderWindows view = new SenderWindows();
        assertFalse(view.evidence(0, 11, 10, SenderOwners.OWNER_SILENCE_NANOS - 1));
        assertTrue(view.evidence(0, 12, 10, SenderOwners.OWNER_SILENCE_NANOS));
    }

    @Test
    void repeatsOfOneDatagramAreNoEvidence() {
        SenderWindows view = new SenderWindows();
        assertFalse(view.evidence(0, 11, 10, 0));
        assertFalse(view.evidence(0, 11, 10, 0));
        assertFalse(view.evidence(0, 11, 10, 0));
        assertFalse(view.evidence(0, 10, 10, 0));
        assertEquals(11, view.lastEvidence(0));
    }

    @Test
    void theOwnerAcceptingAnythingStartsTheStreakOver() {
        SenderWindows view = new SenderWindows();
        assertFalse(view.evidence(0, 11, 10, 0));
        assertFalse(view.evidence(0, 12, 10, 0));
        // The genuine datagrams still reach the owner: a racing copier must win every race again.
        assertFalse(view.evidence(0, 14, 13, 0));
        assertFalse(view.evidence(0, 15, 13, 0));
        assertTrue(view.evidence(0, 16, 13, 0));
    }

    @Test
    void aTakenOverLinkRefusesWhatThePreviousOwnerMayHaveAccepted() {
        SenderWindows view = new SenderWindows();
        view.window(2).accept(100);
        view.tookOver(2, 40);
        assertEquals(40, view.floor(2));
        assertEquals(-1, view.window(2).highest(), "a clean window");
        assertEquals(-1, new SenderWindows().floor(2));
    }
}
