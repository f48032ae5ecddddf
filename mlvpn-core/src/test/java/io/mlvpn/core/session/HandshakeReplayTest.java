package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.link.ProbeSchedule;
import io.mlvpn.core.session.HandshakeInitiator.Outcome;
import io.mlvpn.core.session.HandshakeResponder.Reply;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.testkit.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Replayed and stale handshake packets (issue 13, items 2, 6 and 7), counted, never timed. */
class HandshakeReplayTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final long SECOND_MICROS = 1_000_000L;
    private static final InetSocketAddress SOURCE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);

    private final SecureRandom random = new SecureRandom();
    private final ManualClock clock = new ManualClock();
    private final HandshakeKey key = HandshakeKey.derive(PreSharedKey.of(new byte[32]));

    @Test
    void aReplayedInitCostsTheRealClientNothing() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        byte[] first = establish(client, server, 1, false, T0);
        clock.advanceMillis(10_000);
        byte[] second = establish(client, server, 2, true, T0 + 10 * SECOND_MICROS);
        byte[] out = new byte[128];
        long x25519 = server.x25519Operations();
        long tokens = server.tokensTaken();
        long macs = server.macComputations();
        for (int i = 0; i < 1000; i++) {
            assertNotEquals(Reply.Status.ACCEPTED, server.respond(first, 0, first.length, SOURCE, out, 0, 0, 0, 0, 0).status());
            assertNotEquals(Reply.Status.ACCEPTED, server.respond(second, 0, second.length, SOURCE, out, 0, 0, 0, 0, 0).status());
        }
        assertEquals(x25519, server.x25519Operations(), "X25519 spent on replays");
        assertEquals(tokens, server.tokensTaken(), "rate-limit tokens spent on replays");
        // Per replay: mac1, plus one signature for the stale REJECT let through (once: the manual
        // clock stands still). The last accepted offer was answered just now: its copies get nothing.
        assertEquals(2000 + 1, server.macComputations() - macs, "HMACs for 2000 replays");
        clock.advanceMillis(10);
        client.begin(3, true, T0 + 20 * SECOND_MICROS);
        byte[] third = new byte[HandshakeInitiator.INIT_LENGTH];
        client.writeInit(third, 0, 0, 0, 0, Header.NO_ECHO);
        assertEquals(Reply.Status.ACCEPTED, server.respond(third, 0, third.length, SOURCE, out, 0, 0, 0, 0, 0).status(),
                "the real client's rekey after 2000 replays");
    }

    @Test
    void aRetransmitAfterALostResponseIsAnswered() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(7, false, T0);
        byte[] init = new byte[HandshakeInitiator.INIT_LENGTH];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] out = new byte[128];
        assertEquals(Reply.Status.ACCEPTED, server.respond(init, 0, init.length, SOURCE, out, 0, 0, 0, 0, 0).status());
        // That RESPONSE is lost. The client sends the offer again on its timer: the soonest is a
        // link that was up probing for its peer, every 100 ms (a rekey offer goes again after 1 s).
        clock.advanceNanos(ProbeSchedule.FAST_INTERVAL_NANOS);
        Reply again = server.respond(init, 0, init.length, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.RETRANSMIT, again.status(), "a real retransmit 100 ms later");
        assertEquals(HandshakeResponder.RESPONSE_LENGTH, again.length());
        clock.advanceMillis(1_000);
        Reply third = server.respond(init, 0, init.length, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.RETRANSMIT, third.status(), "a real retransmit 1 s later");
        assertEquals(Outcome.Status.ESTABLISHED, client.complete(out, 0, third.length(), 0).status());
    }

    @Test
    void aFloodOfTheCurrentInitGetsAtMostOneAnswerPerIntervalAndLink() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        byte[] init = establish(client, server, 8, false, T0);
        byte[] out = new byte[128];
        long macs = server.macComputations();
        int answered = 0;
        int unanswered = 0;
        // A recording of the offer just accepted, replayed 1000 times a second for 2 s.
        for (int i = 0; i < 2000; i++) {
            clock.advanceMillis(1);
            Reply r = server.respond(init, 0, init.length, SOURCE, out, 0, 0, 0, 0, 0);
            if (r.status() == Reply.Status.RETRANSMIT) {
                answered++;
            } else {
                assertEquals(Reply.Status.DROPPED_RESEND, r.status());
                assertEquals(0, r.length(), "written for an unanswered copy");
                unanswered++;
            }
        }
        long limit = 2_000_000_000L / HandshakeResponder.RESEND_INTERVAL_NANOS;
        assertEquals(limit, answered, "copies answered in 2 s (one per " + HandshakeResponder.RESEND_INTERVAL_NANOS
                / 1_000_000L + " ms)");
        assertEquals(2000 - limit, unanswered);
        assertEquals(2000 + limit, server.macComputations() - macs, "HMACs: mac1 of each, a signature per answer");
        // The same offer on another link is answered at once: the limit is per link.
        byte[] onLink1 = init.clone();
        Header.write(onLink1, 0, PacketType.HANDSHAKE_INIT, 1, 8, 0, 0, Header.NO_ECHO, 0);
        key.newMac().sign(onLink1, 0, HandshakeFormat.INIT_SIGNED_LENGTH);
        assertEquals(Reply.Status.RETRANSMIT, server.respond(onLink1, 0, onLink1.length, SOURCE, out, 0, 1, 0, 0, 0)
                .status(), "the offer on link 1");
    }

    @Test
    void aClientWhoseClockWentBackAnHourReestablishes() {
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        establish(new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock), server, 1, false, T0);
        // The client restarts on a router whose clock went back an hour.
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        long clientWall = T0 - 3600 * SECOND_MICROS;
        boolean established = false;
        for (int attempt = 0; attempt < 3 && !established; attempt++) {
            // The handshake handler begins a new offer at once after a stale reject.
            client.begin(10 + attempt, false, clientWall);
            byte[] init = new byte[HandshakeInitiator.INIT_LENGTH];
            client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
            byte[] out = new byte[128];
            Reply reply = server.respond(init, 0, init.length, SOURCE, out, 0, 0, 0, 0, 0);
            assertNotEquals(0, reply.length(), "attempt " + attempt + ": the server answered nothing (" + reply
                    + "), so the client cannot learn why");
            Outcome outcome = client.complete(out, 0, reply.length(), 0);
            established = outcome.status() == Outcome.Status.ESTABLISHED;
        }
        assertTrue(established, "re-established");
    }

    @Test
    void aReplayedResponseForAnEarlierOfferIsNotInstalled() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(5, false, T0);
        byte[] init = new byte[HandshakeInitiator.INIT_LENGTH];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] recorded = new byte[128];
        Reply first = server.respond(init, 0, init.length, SOURCE, recorded, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.ACCEPTED, first.status());
        // That answer was lost; the next offer happens to draw the same 16-bit session id.
        client.begin(5, false, T0 + SECOND_MICROS);
        Outcome replayed = client.complete(recorded, 0, first.length(), 0);
        assertEquals(Outcome.Status.IGNORED, replayed.status(), "a recorded RESPONSE installed keys the server does not have");
        assertEquals(5, client.pendingSessionId());
    }

    @Test
    void aReplayedRejectDoesNotCancelTheOffer() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.CHACHA20_POLY1305, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(6, false, T0);
        byte[] init = new byte[HandshakeInitiator.INIT_LENGTH];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] recorded = new byte[128];
        Reply reject = server.respond(init, 0, init.length, SOURCE, recorded, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.REJECTED_CIPHER, reject.status());
        client.begin(6, false, T0 + SECOND_MICROS);
        Outcome replayed = client.complete(recorded, 0, reject.length(), 0);
        assertEquals(Outcome.Status.IGNORED, replayed.status(), "a recorded REJECT cancelled a later offer");
        assertEquals(6, client.pendingSessionId());
    }

    /** One full exchange; returns the INIT. */
    private static byte[] establish(HandshakeInitiator client, HandshakeResponder server, int id, boolean rekey,
            long timestamp) {
        client.begin(id, rekey, timestamp);
        byte[] init = new byte[HandshakeInitiator.INIT_LENGTH];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] out = new byte[128];
        Reply reply = server.respond(init, 0, init.length, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.ACCEPTED, reply.status());
        assertEquals(Outcome.Status.ESTABLISHED, client.complete(out, 0, reply.length(), 0).status());
        return init;
    }
}
