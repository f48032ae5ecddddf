package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;

/**
 * The server under handshake load (issue 13, item 2): cookies, mac2 and what each datagram costs,
 * counted with a manual clock.
 */
class HandshakeCookieTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final int INIT = HandshakeInitiator.INIT_LENGTH;
    private static final InetSocketAddress CLIENT = new InetSocketAddress(address(198, 51, 100, 7), 40000);
    /** Another host behind the client's carrier-grade NAT: same IP, another port. */
    private static final InetSocketAddress SAME_NAT = new InetSocketAddress(address(198, 51, 100, 7), 40001);

    private final SecureRandom random = new SecureRandom();
    private final ManualClock clock = new ManualClock();
    private final HandshakeKey key = HandshakeKey.derive(PreSharedKey.of(new byte[32]));
    private final HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
    /** Makes authentic, fresh INITs: a stash recorded before a server restart, or an insider. */
    private final HandshakeInitiator flooder = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
    private int flooderSession = 1;

    @Test
    void aSpoofedFloodGetsCookiesOnlyWhileTheRealClientStillEstablishes() {
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        byte[] out = new byte[128];
        // The flood starts: the first ten fresh INITs in a second are worked on.
        for (int i = 0; i < HandshakeResponder.LOAD_THRESHOLD; i++) {
            assertEquals(Reply.Status.ACCEPTED, server.respond(flood(), 0, INIT, SAME_NAT, out, 0, 0, 0, 0, 0).status());
        }
        long x25519 = server.x25519Operations();
        long tokens = server.tokensTaken();
        long macs = server.macComputations();
        int n = 1000;
        for (int i = 0; i < n; i++) {
            Reply r = server.respond(flood(), 0, INIT, SAME_NAT, out, 0, 0, 0, 0, 0);
            assertEquals(Reply.Status.COOKIE, r.status(), "flood INIT " + i);
            assertEquals(60, r.length());
            assertTrue(r.length() < INIT, "no amplification");
            assertEquals(PacketType.HANDSHAKE_COOKIE, Header.type(out, 0));
        }
        assertEquals(x25519, server.x25519Operations(), "X25519 spent on the flood under load");
        assertEquals(tokens, server.tokensTaken(), "tokens spent on the flood under load");
        // Each: mac1, then the cookie and mac2 under the current secret, then the cookie to send.
        assertEquals(4L * n, server.macComputations() - macs, "HMACs per flood INIT");

        // The real client, which receives at its address, gets its cookie and gets through.
        client.begin(7, false, T0 + 3_600_000_000L);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        Reply cookie = server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.COOKIE, cookie.status());
        assertEquals(Outcome.Status.COOKIE_RETRY, client.complete(out, 0, cookie.length(), 0).status());
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        x25519 = server.x25519Operations();
        Reply accepted = server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.ACCEPTED, accepted.status(), "the client's INIT with mac2");
        assertEquals(x25519 + 2, server.x25519Operations());
        assertEquals(Outcome.Status.ESTABLISHED, client.complete(out, 0, accepted.length(), 0).status());

        // The flood goes on; the client's next offers carry the cookie and go straight through,
        // on a token bucket of its own (IP and port), which the flood from its NAT cannot drain.
        for (int rekey = 0; rekey < 5; rekey++) {
            for (int i = 0; i < 200; i++) {
                // Stamped after the client's offers, so still fresh: never accepted, only cookies.
                assertEquals(Reply.Status.COOKIE, server.respond(flood(T0 + 7_200_000_000L), 0, INIT, SAME_NAT, out,
                        0, 0, 0, 0, 0).status());
            }
            clock.advanceMillis(10);
            client.begin(8 + rekey, true, T0 + 3_600_000_000L);
            client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
            Reply r = server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0);
            assertEquals(Reply.Status.ACCEPTED, r.status(), "rekey " + rekey);
            assertEquals(Outcome.Status.ESTABLISHED, client.complete(out, 0, r.length(), 0).status());
        }
    }

    @Test
    void aCookieProvesOnlyTheAddressItWasSentTo() {
        loadUp();
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        byte[] out = new byte[128];
        client.begin(7, false, T0 + 3_600_000_000L);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        Reply cookie = server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0);
        assertEquals(Outcome.Status.COOKIE_RETRY, client.complete(out, 0, cookie.length(), 0).status());
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        assertEquals(Reply.Status.COOKIE, server.respond(init, 0, INIT, SAME_NAT, out, 0, 0, 0, 0, 0).status(),
                "the client's mac2 from another port");
        byte[] forged = init.clone();
        forged[INIT - 1] ^= 1;
        assertEquals(Reply.Status.COOKIE, server.respond(forged, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0).status(),
                "a flipped mac2 bit");
        assertEquals(Reply.Status.ACCEPTED, server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0).status());
    }

    @Test
    void aCookieReplyIsTakenOnlyForThePendingOfferAndUnaltered() {
        loadUp();
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        byte[] out = new byte[128];
        // A cookie reply answering someone else's offer (the flood's, sent to the client's address).
        client.begin(9, false, T0 + 3_600_000_000L);
        byte[] other = flood();
        Header.write(other, 0, PacketType.HANDSHAKE_INIT, 0, 9, 0, 0, Header.NO_ECHO, 0);
        key.newMac().sign(other, 0, HandshakeFormat.INIT_SIGNED_LENGTH);
        Reply r = server.respond(other, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.COOKIE, r.status());
        assertEquals(Outcome.Status.IGNORED, client.complete(out, 0, r.length(), 0).status());

        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        r = server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0);
        byte[] reply = Arrays.copyOf(out, r.length());
        for (int bit = 0; bit < reply.length * 8; bit++) {
            byte[] flipped = reply.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(Outcome.Status.IGNORED, client.complete(flipped, 0, flipped.length, 0).status(), "bit " + bit);
        }
        assertEquals(Outcome.Status.COOKIE_RETRY, client.complete(reply, 0, reply.length, 0).status());
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        assertEquals(Outcome.Status.COOKIE, client.complete(reply, 0, reply.length, 0).status(),
                "the INIT it answers had no cookie; the next one had: no second retry at once");
    }

    @Test
    void loadEndsASecondAfterTheFloodAndCookiesAgeOut() {
        loadUp();
        HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
        byte[] out = new byte[128];
        client.begin(7, false, T0 + 3_600_000_000L);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        Reply cookie = server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0);
        client.complete(out, 0, cookie.length(), 0);
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        assertTrue(Arrays.mismatch(init, INIT - 16, INIT, new byte[16], 0, 16) >= 0, "mac2 carried");
        clock.advanceMillis(HandshakeInitiator.COOKIE_LIFETIME_NANOS / 1_000_000L);
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        assertEquals(-1, Arrays.mismatch(init, INIT - 16, INIT, new byte[16], 0, 16), "an old cookie is not used");
        assertEquals(Reply.Status.ACCEPTED, server.respond(init, 0, INIT, CLIENT, out, 0, 0, 0, 0, 0).status(),
                "no load: mac2 not needed");
    }

    /** Puts the server under load with a second's worth of fresh INITs from the client's NAT. */
    private void loadUp() {
        byte[] out = new byte[128];
        for (int i = 0; i <= HandshakeResponder.LOAD_THRESHOLD; i++) {
            server.respond(flood(), 0, INIT, SAME_NAT, out, 0, 0, 0, 0, 0);
        }
        assertEquals(Reply.Status.COOKIE, server.respond(flood(), 0, INIT, SAME_NAT, out, 0, 0, 0, 0, 0).status());
    }

    private byte[] flood() {
        return flood(T0);
    }

    /** A fresh INIT of the flood, stamped at least {@code timestampMicros}. */
    private byte[] flood(long timestampMicros) {
        flooder.begin(flooderSession++ % 0xFFFF + 1, false, timestampMicros);
        byte[] init = new byte[INIT];
        flooder.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        return init;
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
