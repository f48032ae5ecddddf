package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkDiagnosisTest {
    private static LinkStats link(String name, LinkState state, long rxPackets, long dropsAuth) {
        return link(name, state, rxPackets, dropsAuth, 0, 0);
    }

    private static LinkStats link(String name, LinkState state, long rxPackets, long dropsAuth, long dropsReplay,
            long dropsMalformed) {
        return new LinkStats(name, state, 0, 0, 0, 0, 0, 0, rxPackets, 0, 0, 0, 0, dropsAuth, dropsReplay,
                dropsMalformed, 0, 0, "", "", 0, 0, 0, 0, java.util.List.of(), 0, 0, -1, 0);
    }

    @Test
    void firstReportAfterFiveSecondsDownThenOnceAMinute() {
        LinkDiagnosis d = new LinkDiagnosis();
        assertEquals(-1, d.due(false, 1_000));
        assertEquals(-1, d.due(false, 5_999));
        assertEquals(5_000, d.due(false, 6_000));
        assertTrue(d.reported());
        assertEquals(-1, d.due(false, 65_999));
        assertEquals(65_000, d.due(false, 66_000));
    }

    @Test
    void upResetsTheClock() {
        LinkDiagnosis d = new LinkDiagnosis();
        d.due(false, 0);
        assertEquals(5_000, d.due(false, 5_000));
        assertEquals(-1, d.due(true, 6_000));
        assertFalse(d.reported());
        assertEquals(-1, d.due(false, 7_000));
        assertEquals(5_000, d.due(false, 12_000));
    }

    @Test
    void authenticationFailuresPointAtTheKey() {
        String s = LinkDiagnosis.describe(5_000, List.of(link("l1", LinkState.DOWN, 0, 7),
                link("l2", LinkState.CONNECTING, 3, 0)));
        assertEquals("no link up for 5 s: l1 down, nothing authenticated received, 7 failed authentication; l2 connecting,"
                + " 3 packets received. 7 packets from the peer failed authentication: do both ends use the same key"
                + " (key.file or password) and cipher?", s);
    }

    @Test
    void silencePointsAtThePath() {
        String s = LinkDiagnosis.describe(12_345, List.of(link("l1", LinkState.CONNECTING, 0, 0)));
        assertEquals("no link up for 12 s: l1 connecting, nothing received. Nothing came up: check the peer's"
                + " address, ports and firewall, and that it runs", s);
    }

    @Test
    void refusedHandshakesAreNamedNotSilence() {
        // A new server that refused 5 INITs of a handshake-1 client: HandshakeHandler counts each in
        // drops_malformed (and logs "handshake refused: peer ... speaks handshake 1" once a minute).
        String s = LinkDiagnosis.describe(5_000, List.of(link("l1", LinkState.CONNECTING, 0, 0, 0, 5)));
        assertEquals("no link up for 5 s: l1 connecting, nothing authenticated received, 5 malformed or of another"
                + " handshake version. Datagrams arrived, but none was taken: the handshake line logged before this"
                + " one says why and from whom (a peer of another handshake version is refused there; see"
                + " docs/operations.md, \"Handshake\")", s);
        assertFalse(s.contains("Nothing came up"), s);
        String stale = LinkDiagnosis.describe(5_000, List.of(link("l1", LinkState.CONNECTING, 0, 0, 3, 0)));
        assertTrue(stale.startsWith("no link up for 5 s: l1 connecting, nothing authenticated received, 3 replayed or"
                + " stale. Datagrams arrived, but none was taken"), stale);
    }
}
