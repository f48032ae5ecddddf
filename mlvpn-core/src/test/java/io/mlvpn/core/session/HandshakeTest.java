package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.session.HandshakeInitiator.Outcome;
import io.mlvpn.core.session.HandshakeResponder.Reply;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.testkit.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandshakeTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final byte SENTINEL = 0x5A;
    private static final int INIT = HandshakeInitiator.INIT_LENGTH;
    private static final int REJECT = HandshakeResponder.REJECT_LENGTH;
    private static final InetSocketAddress SOURCE = new InetSocketAddress(address(10, 0, 0, 1), 4000);
    private static final InetSocketAddress OTHER_SOURCE = new InetSocketAddress(address(10, 0, 0, 2), 4000);

    private final SecureRandom random = new SecureRandom();
    private final ManualClock clock = new ManualClock();
    private final HandshakeKey key = HandshakeKey.derive(randomPsk());

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void exchangeGivesMatchingKeys(CipherSuite cipher) {
        HandshakeInitiator client = new HandshakeInitiator(key, cipher, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, cipher, random, clock);
        client.begin(0x1234, false, T0);
        assertEquals(0x1234, client.pendingSessionId());
        byte[] init = new byte[HandshakeInitiator.INIT_LENGTH];
        assertEquals(91, client.writeInit(init, 0, 0, 0, 0x0102, Header.NO_ECHO));

        byte[] out = sentinelArray(100);
        Reply reply = server.respond(init, 0, init.length, SOURCE, out, 0, 0, 0, 0x0203, 0x0102);
        assertEquals(Reply.Status.ACCEPTED, reply.status());
        assertEquals(66, reply.length());
        assertEquals(PacketType.HANDSHAKE_RESPONSE, Header.type(out, 0));
        assertEquals(SENTINEL, out[66], "nothing written past the response");

        Outcome outcome = client.complete(out, 0, reply.length(), 0);
        assertEquals(Outcome.Status.ESTABLISHED, outcome.status(), outcome.reason());
        SessionKeys c = outcome.keys();
        SessionKeys s = reply.keys();
        assertArrayEquals(c.sendKey(), s.receiveKey());
        assertArrayEquals(c.receiveKey(), s.sendKey());
        assertFalse(Arrays.equals(c.sendKey(), c.receiveKey()));
        assertEquals(0x1234, c.sessionId());
        assertEquals(0x1234, s.sessionId());
        assertEquals(cipher, c.cipher());
        assertEquals(cipher, s.cipher());
        assertFalse(c.rekey());
        assertFalse(s.rekey());
        assertEquals(0, client.pendingSessionId(), "offer cleared once established");
        assertNull(outcome.peerCipher());
    }

    /** One exchange; returns {client's keys, server's keys}. */
    private SessionKeys[] exchange(boolean clientTakesPartial, boolean serverTakesPartial, int extraInitFlags) {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.takesPartialChecksums(clientTakesPartial);
        server.takesPartialChecksums(serverTakesPartial);
        client.begin(0x4321, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        if (extraInitFlags != 0) {
            // A flag this version does not know, signed as a later client would sign it.
            init[HandshakeFormat.INIT_FLAGS] |= (byte) extraInitFlags;
            key.newMac().sign(init, 0, HandshakeFormat.INIT_SIGNED_LENGTH);
        }
        byte[] out = new byte[66];
        Reply reply = server.respond(init, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.ACCEPTED, reply.status());
        if (extraInitFlags != 0) {
            // The answer is bound to the offer as sent, which this client did not make.
            assertEquals(Outcome.Status.IGNORED, client.complete(out, 0, reply.length(), 0).status());
            return new SessionKeys[] {null, reply.keys()};
        }
        Outcome outcome = client.complete(out, 0, reply.length(), 0);
        assertEquals(Outcome.Status.ESTABLISHED, outcome.status(), outcome.reason());
        return new SessionKeys[] {outcome.keys(), reply.keys()};
    }

    @Test
    void eachEndLearnsWhetherItsPeerTakesPartialChecksums() {
        SessionKeys[] both = exchange(true, true, 0);
        assertTrue(both[0].peerTakesPartialChecksums(), "client: the server takes them");
        assertTrue(both[1].peerTakesPartialChecksums(), "server: the client takes them");

        SessionKeys[] oldClient = exchange(false, true, 0);
        assertTrue(oldClient[0].peerTakesPartialChecksums());
        assertFalse(oldClient[1].peerTakesPartialChecksums(), "the server must not send them to this client");

        SessionKeys[] oldServer = exchange(true, false, 0);
        assertFalse(oldServer[0].peerTakesPartialChecksums(), "the client must not send them to this server");
        assertTrue(oldServer[1].peerTakesPartialChecksums());
    }

    @Test
    void unknownInitFlagsAreIgnored() {
        SessionKeys[] keys = exchange(true, true, 0x80);
        assertTrue(keys[1].peerTakesPartialChecksums());
        assertFalse(keys[1].rekey());
    }

    @Test
    void sessionIdAndRekeyFlagAreCarried() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(0xFFFF, true, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 3, 9, 0, Header.NO_ECHO);
        assertEquals(0xFFFF, Header.sessionId(init, 0));
        byte[] out = new byte[66];
        Reply reply = server.respond(init, 0, INIT, SOURCE, out, 0, 3, 9, 0, 0);
        assertTrue(reply.keys().rekey());
        assertEquals(0xFFFF, reply.keys().sessionId());
        assertEquals(0xFFFF, Header.sessionId(out, 0));
        SessionKeys c = client.complete(out, 0, 66, 0).keys();
        assertTrue(c.rekey());
        assertEquals(0xFFFF, c.sessionId());
    }

    @Test
    void keysCarryTheClockOfTheirDerivation() {
        clock.advanceMillis(1234);
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        Exchange x = exchange(client, server, 5, T0);
        assertEquals(clock.nanoTime(), x.client.createdNanos());
        assertEquals(clock.nanoTime(), x.server.createdNanos());
    }

    @Test
    void differentPreSharedKeysAreDroppedWithoutReply() {
        HandshakeInitiator client = new HandshakeInitiator(HandshakeKey.derive(randomPsk()),
                CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(1, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] out = sentinelArray(66);
        Reply reply = server.respond(init, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.DROPPED_AUTH, reply.status());
        assertEquals(0, reply.length());
        assertNull(reply.keys());
        assertUntouched(out);
    }

    @Test
    void everyBitFlipOfAnInitIsDropped() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(77, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 1, 2, 3, 4);
        EnumSet<Reply.Status> drops = EnumSet.of(Reply.Status.DROPPED_MALFORMED, Reply.Status.DROPPED_AUTH);
        // mac2 (the last 16 bytes) is checked only under load: see HandshakeCookieTest.
        for (int bit = 0; bit < HandshakeFormat.INIT_MAC2 * 8; bit++) {
            byte[] flipped = init.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] out = sentinelArray(66);
            Reply reply = server.respond(flipped, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0);
            assertTrue(drops.contains(reply.status()), "bit " + bit + ": " + reply);
            assertEquals(0, reply.length());
            assertUntouched(out);
        }
        byte[] out = new byte[66];
        assertEquals(Reply.Status.ACCEPTED, server.respond(init, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0).status(),
                "the flipped copies changed no state and used no rate tokens");
    }

    @Test
    void everyBitFlipOfAResponseIsIgnored() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.CHACHA20_POLY1305, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.CHACHA20_POLY1305, random, clock);
        client.begin(42, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] response = new byte[66];
        Reply reply = server.respond(init, 0, INIT, SOURCE, response, 0, 0, 0, 0, 0);
        for (int bit = 0; bit < response.length * 8; bit++) {
            byte[] flipped = response.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Outcome outcome = client.complete(flipped, 0, flipped.length, 0);
            assertEquals(Outcome.Status.IGNORED, outcome.status(), "bit " + bit);
            assertNull(outcome.keys());
            assertEquals(42, client.pendingSessionId(), "bit " + bit + " cleared the offer");
        }
        Outcome outcome = client.complete(response, 0, response.length, 0);
        assertEquals(Outcome.Status.ESTABLISHED, outcome.status());
        assertArrayEquals(reply.keys().receiveKey(), outcome.keys().sendKey());
    }

    @Test
    void wrongInitLengthsAreDroppedAsMalformed() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(9, false, T0);
        byte[] init = new byte[100];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        for (int length : new int[] {90, 92, 75, 0, 32, 16}) {
            byte[] out = sentinelArray(66);
            Reply reply = server.respond(init, 0, length, SOURCE, out, 0, 0, 0, 0, 0);
            assertEquals(Reply.Status.DROPPED_MALFORMED, reply.status(), "length " + length);
            assertEquals(0, reply.length());
            assertUntouched(out);
        }
    }

    @Test
    void wrongAnswerLengthsAreIgnored() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(9, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] response = new byte[80];
        server.respond(init, 0, INIT, SOURCE, response, 0, 0, 0, 0, 0);
        for (int length : new int[] {65, 67, 0, 34, 31}) {
            assertEquals(Outcome.Status.IGNORED, client.complete(response, 0, length, 0).status(), "length " + length);
        }
        assertEquals(9, client.pendingSessionId());
    }

    @Test
    void otherPacketTypesAreNotAnswers() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(9, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        assertEquals(Outcome.Status.IGNORED, client.complete(init, 0, INIT, 0).status(), "an INIT is no answer");
    }

    @Test
    void olderTimestampIsAReplay() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(1, false, T0);
        byte[] older = new byte[INIT];
        client.writeInit(older, 0, 0, 0, 0, Header.NO_ECHO);
        client.begin(2, false, T0 + 1_000_000);
        byte[] newer = new byte[INIT];
        client.writeInit(newer, 0, 0, 1, 0, Header.NO_ECHO);
        byte[] out = new byte[66];
        assertEquals(Reply.Status.ACCEPTED, server.respond(newer, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0).status());
        out = new byte[66];
        Reply reply = server.respond(older, 0, INIT, SOURCE, out, 0, 0, 1, 0, 0);
        assertEquals(Reply.Status.REJECTED_STALE, reply.status(), "the sender is told, once a second");
        assertEquals(REJECT, reply.length());
        assertEquals(T0 + 1_000_000, Header.getLong(out, HandshakeFormat.REJECT_TIMESTAMP));
        assertNull(reply.keys());
        out = sentinelArray(66);
        reply = server.respond(older, 0, INIT, SOURCE, out, 0, 0, 1, 0, 0);
        assertEquals(Reply.Status.DROPPED_REPLAY, reply.status());
        assertEquals(0, reply.length());
        assertUntouched(out);
        assertEquals(Reply.Status.REJECTED_STALE, server.respond(older, 0, INIT, OTHER_SOURCE, out, 0, 0, 1, 0, 0)
                .status(), "another source has its own allowance");
        clock.advanceMillis(1000);
        assertEquals(Reply.Status.REJECTED_STALE, server.respond(older, 0, INIT, SOURCE, out, 0, 0, 1, 0, 0).status());
    }

    @Test
    void anotherOfferWithTheSameTimestampIsAReplay() {
        HandshakeInitiator first = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeInitiator second = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        first.begin(1, false, T0);
        second.begin(1, false, T0);
        byte[] a = new byte[INIT];
        byte[] b = new byte[INIT];
        first.writeInit(a, 0, 0, 0, 0, Header.NO_ECHO);
        second.writeInit(b, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] out = new byte[66];
        assertEquals(Reply.Status.ACCEPTED, server.respond(a, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0).status());
        Reply reply = server.respond(b, 0, INIT, SOURCE, out, 0, 0, 1, 0, 0);
        assertEquals(Reply.Status.REJECTED_STALE, reply.status());
        assertNull(reply.keys());
        assertEquals(Outcome.Status.IGNORED, first.complete(out, 0, reply.length(), 0).status(),
                "bound to the other offer");
        assertEquals(Outcome.Status.REJECTED_STALE, second.complete(out, 0, reply.length(), 0).status());
    }

    @Test
    void retransmittedInitGetsTheSameResponseAndKeys() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(5, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0x0102, Header.NO_ECHO);
        byte[] first = new byte[66];
        Reply accepted = server.respond(init, 0, INIT, SOURCE, first, 0, 0, 0, 0x0200, 0x0102);
        // Sent again on the client's timer (100 ms at the soonest): answered again.
        clock.advanceMillis(100);
        byte[] second = new byte[66];
        Reply again = server.respond(init, 0, INIT, SOURCE, second, 0, 0, 0, 0x0200, 0x0102);
        assertEquals(Reply.Status.ACCEPTED, accepted.status());
        assertEquals(Reply.Status.RETRANSMIT, again.status());
        assertEquals(66, again.length());
        assertArrayEquals(first, second);
        assertSame(accepted.keys(), again.keys());

        // The same offer sent on another link: the header follows the answering link, the payload is the same.
        byte[] initOnLink1 = new byte[INIT];
        client.writeInit(initOnLink1, 0, 1, 0, 0x0105, Header.NO_ECHO);
        byte[] third = new byte[66];
        Reply onLink1 = server.respond(initOnLink1, 0, INIT, SOURCE, third, 0, 1, 0, 0x0201, 0x0105);
        assertEquals(Reply.Status.RETRANSMIT, onLink1.status());
        assertEquals(1, Header.linkId(third, 0));
        assertArrayEquals(Arrays.copyOfRange(first, 16, 50), Arrays.copyOfRange(third, 16, 50));

        Outcome outcome = client.complete(third, 0, 66, 0);
        assertEquals(Outcome.Status.ESTABLISHED, outcome.status());
        assertArrayEquals(accepted.keys().sendKey(), outcome.keys().receiveKey());
    }

    @Test
    void cipherMismatchIsRejectedAndReported() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.CHACHA20_POLY1305, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(3, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] out = sentinelArray(66);
        Reply reply = server.respond(init, 0, INIT, SOURCE, out, 0, 2, 5, 0, 0);
        assertEquals(Reply.Status.REJECTED_CIPHER, reply.status());
        assertEquals(42, reply.length());
        assertEquals(CipherSuite.CHACHA20_POLY1305, reply.peerCipher());
        assertNull(reply.keys());
        assertEquals(PacketType.HANDSHAKE_REJECT, Header.type(out, 0));
        assertEquals(3, Header.sessionId(out, 0));
        assertEquals(SENTINEL, out[REJECT]);

        for (int bit = 0; bit < REJECT * 8; bit++) {
            byte[] flipped = Arrays.copyOf(out, REJECT);
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(Outcome.Status.IGNORED, client.complete(flipped, 0, REJECT, 0).status(), "bit " + bit);
        }
        Outcome outcome = client.complete(out, 0, REJECT, 0);
        assertEquals(Outcome.Status.REJECTED_CIPHER, outcome.status());
        assertEquals(CipherSuite.AES_256_GCM, outcome.peerCipher());
        assertEquals("cipher mismatch: server uses aes-256-gcm, we use chacha20-poly1305", outcome.reason());
        assertNull(outcome.keys());
        assertEquals(0, client.pendingSessionId());
        assertEquals(Outcome.Status.IGNORED, client.complete(out, 0, REJECT, 0).status(), "second reject: nothing pending");
    }

    @Test
    void unknownCipherIdIsRejectedWithoutPeerCipher() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(3, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        init[HandshakeFormat.INIT_CIPHER] = 7;
        key.newMac().sign(init, 0, HandshakeFormat.INIT_SIGNED_LENGTH);
        byte[] out = new byte[66];
        Reply reply = server.respond(init, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.REJECTED_CIPHER, reply.status());
        assertNull(reply.peerCipher());
        assertEquals(CipherSuite.AES_256_GCM.wireId(), out[17]);
    }

    @Test
    void responseWithAnotherCipherIsIgnored() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(3, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] response = new byte[66];
        server.respond(init, 0, INIT, SOURCE, response, 0, 0, 0, 0, 0);
        response[48] = (byte) CipherSuite.CHACHA20_POLY1305.wireId();
        signBound(response, HandshakeFormat.RESPONSE_SIGNED_LENGTH, init);
        Outcome outcome = client.complete(response, 0, 66, 0);
        assertEquals(Outcome.Status.IGNORED, outcome.status());
        assertEquals(3, client.pendingSessionId());
    }

    @Test
    void answerForAnotherSessionIsIgnored() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(3, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] response = new byte[66];
        server.respond(init, 0, INIT, SOURCE, response, 0, 0, 0, 0, 0);
        client.begin(4, false, T0 + 1);
        assertEquals(Outcome.Status.IGNORED, client.complete(response, 0, 66, 0).status());
        assertEquals(4, client.pendingSessionId());
    }

    @Test
    void allZeroSharedSecretIsRefusedOnBothSides() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(3, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] response = new byte[66];
        server.respond(init, 0, INIT, SOURCE, response, 0, 0, 0, 0, 0);

        Arrays.fill(response, 16, 48, (byte) 0); // u = 0, a point of small order
        signBound(response, HandshakeFormat.RESPONSE_SIGNED_LENGTH, init);
        assertEquals(Outcome.Status.IGNORED, client.complete(response, 0, 66, 0).status());
        assertEquals(3, client.pendingSessionId());

        client.begin(4, false, T0 + 1);
        client.writeInit(init, 0, 0, 1, 0, Header.NO_ECHO);
        Arrays.fill(init, HandshakeFormat.INIT_PUBLIC, HandshakeFormat.INIT_PUBLIC + 32, (byte) 0);
        key.newMac().sign(init, 0, HandshakeFormat.INIT_SIGNED_LENGTH);
        byte[] out = sentinelArray(66);
        Reply reply = server.respond(init, 0, INIT, SOURCE, out, 0, 0, 1, 0, 0);
        assertEquals(Reply.Status.DROPPED_MALFORMED, reply.status());
        assertUntouched(out);
    }

    @Test
    void rateLimitHitsOneSourceOnlyAndRefills() {
        HandshakeRateLimiter limiter = new HandshakeRateLimiter(clock, 10, 20, 16);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, clock, limiter,
                HandshakeInitiator.randomPrivateKeys(random), random, 1000);
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        byte[] out = new byte[66];
        for (int i = 0; i < 20; i++) {
            assertEquals(Reply.Status.ACCEPTED, server.respond(offer(client, 8 + i), 0, INIT, SOURCE, out, 0, 0, 0, 0,
                    0).status(), "offer " + i);
        }
        byte[] dropped = sentinelArray(66);
        Reply limited = server.respond(offer(client, 30), 0, INIT, SOURCE, dropped, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.DROPPED_RATE, limited.status());
        assertEquals(0, limited.length());
        assertUntouched(dropped);
        assertEquals(Reply.Status.ACCEPTED,
                server.respond(offer(client, 31), 0, INIT, OTHER_SOURCE, out, 0, 0, 0, 0, 0).status(),
                "another address");

        clock.advanceMillis(100); // one token at 10 per second
        assertEquals(Reply.Status.ACCEPTED, server.respond(offer(client, 32), 0, INIT, SOURCE, out, 0, 0, 0, 0, 0)
                .status());
        assertEquals(Reply.Status.DROPPED_RATE, server.respond(offer(client, 33), 0, INIT, SOURCE, out, 0, 0, 0, 0, 0)
                .status());
    }

    /** A fresh offer's INIT: the initiator stamps each offer after the one before. */
    private static byte[] offer(HandshakeInitiator client, int sessionId) {
        client.begin(sessionId, false, T0);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        return init;
    }

    private void signBound(byte[] answer, int signedLength, byte[] init) {
        key.newMac().sign(answer, 0, signedLength, init, Header.LENGTH, HandshakeFormat.OFFER_LENGTH);
    }

    @Test
    void responseIsNeverLongerThanTheInit() {
        assertTrue(HandshakeResponder.RESPONSE_LENGTH <= HandshakeInitiator.INIT_LENGTH);
        assertTrue(HandshakeResponder.REJECT_LENGTH <= HandshakeInitiator.INIT_LENGTH);
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(1, false, T0);
        byte[] init = new byte[INIT];
        int sent = client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        int answered = server.respond(init, 0, sent, SOURCE, new byte[66], 0, 0, 0, 0, 0).length();
        assertEquals(66, answered);
        assertTrue(answered <= sent);
    }

    @Test
    void everyHandshakeHasFreshEphemeralKeys() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        Exchange first = exchange(client, server, 1, T0);
        Exchange second = exchange(client, server, 1, T0);
        assertFalse(Arrays.equals(Arrays.copyOfRange(first.init, 17, 49), Arrays.copyOfRange(second.init, 17, 49)));
        assertFalse(Arrays.equals(Arrays.copyOfRange(first.response, 16, 48),
                Arrays.copyOfRange(second.response, 16, 48)));
        assertFalse(Arrays.equals(first.client.sendKey(), second.client.sendKey()));
        assertFalse(Arrays.equals(first.client.receiveKey(), second.client.receiveKey()));
        assertNotEquals(Header.getLong(first.init, HandshakeFormat.INIT_TIMESTAMP),
                Header.getLong(second.init, HandshakeFormat.INIT_TIMESTAMP));
    }

    @Test
    void offerTimestampsStrictlyIncrease() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        client.begin(1, false, T0);
        assertEquals(T0, client.pendingTimestampMicros());
        client.begin(2, false, T0);
        assertEquals(T0 + 1, client.pendingTimestampMicros());
        client.begin(3, false, T0 - 500);
        assertEquals(T0 + 2, client.pendingTimestampMicros());
        client.begin(4, false, T0 + 100);
        assertEquals(T0 + 100, client.pendingTimestampMicros());
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        assertEquals(T0 + 100, Header.getLong(init, HandshakeFormat.INIT_TIMESTAMP));
    }

    @Test
    void misuseFailsLoudly() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        assertEquals(0, client.pendingSessionId());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.writeInit(new byte[INIT], 0, 0, 0, 0, 0));
        assertEquals("no handshake begun", e.getMessage());
        assertEquals("session id not in 1..65535: 0",
                assertThrows(IllegalArgumentException.class, () -> client.begin(0, false, T0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.begin(0x10000, false, T0));
        client.begin(1, false, T0);
        assertThrows(IndexOutOfBoundsException.class, () -> client.writeInit(new byte[INIT - 1], 0, 0, 0, 0, 0));
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        assertThrows(IndexOutOfBoundsException.class,
                () -> server.respond(new byte[INIT], 0, INIT, SOURCE, new byte[65], 0, 0, 0, 0, 0));
    }

    @Test
    void secretsAreNeverPrinted() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        SessionKeys keys = exchange(client, server, 0x0102, T0).client;
        String text = keys.toString();
        assertEquals("SessionKeys[session=258, cipher=aes-256-gcm, rekey=false, peerTakesPartialChecksums=true, keys=redacted]", text);
        assertEquals("HandshakeKey[redacted]", key.toString());
    }

    @Test
    void destroyWipesSessionKeys() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
        SessionKeys keys = exchange(client, server, 1, T0).client;
        byte[] before = keys.sendKey();
        keys.destroy();
        assertArrayEquals(new byte[32], keys.sendKey());
        assertArrayEquals(new byte[32], keys.receiveKey());
        assertFalse(Arrays.equals(before, keys.sendKey()), "copies taken before are independent");
    }

    private static final class Exchange {
        final byte[] init = new byte[INIT];
        final byte[] response = new byte[66];
        SessionKeys client;
        SessionKeys server;
    }

    private static Exchange exchange(HandshakeInitiator client, HandshakeResponder server, int sessionId, long ts) {
        Exchange x = new Exchange();
        client.begin(sessionId, false, ts);
        client.writeInit(x.init, 0, 0, 0, 0, Header.NO_ECHO);
        Reply reply = server.respond(x.init, 0, INIT, SOURCE, x.response, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.ACCEPTED, reply.status());
        Outcome outcome = client.complete(x.response, 0, 66, 0);
        assertEquals(Outcome.Status.ESTABLISHED, outcome.status(), outcome.reason());
        x.client = outcome.keys();
        x.server = reply.keys();
        return x;
    }

    private PreSharedKey randomPsk() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return PreSharedKey.of(b);
    }

    private static byte[] sentinelArray(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, SENTINEL);
        return b;
    }

    private static void assertUntouched(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            assertEquals(SENTINEL, out[i], "byte " + i + " written");
        }
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
