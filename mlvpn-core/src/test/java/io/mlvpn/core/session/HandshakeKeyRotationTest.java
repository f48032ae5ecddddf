package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.session.HandshakeInitiator.Outcome;
import io.mlvpn.core.session.HandshakeResponder.Reply;
import io.mlvpn.core.wire.Header;
import io.mlvpn.testkit.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A key changed without downtime: the server takes the old key for a grace period, then not. */
class HandshakeKeyRotationTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final long GRACE_NANOS = 3_600_000_000_000L;
    private static final int INIT = HandshakeInitiator.INIT_LENGTH;
    private static final InetSocketAddress SOURCE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);

    private final SecureRandom random = new SecureRandom();
    private final ManualClock clock = new ManualClock();
    private final HandshakeKey oldKey = key(1);
    private final HandshakeKey newKey = key(2);
    private final HandshakeResponder server = new HandshakeResponder(oldKey, CipherSuite.AES_256_GCM, random, clock);
    private long timestamp = T0;

    @Test
    void theServerTakesTheOldKeyUntilTheGracePeriodEndsAndTheNewOneFromTheStart() {
        HandshakeInitiator oldClient = new HandshakeInitiator(oldKey, CipherSuite.AES_256_GCM, random, clock);
        HandshakeInitiator newClient = new HandshakeInitiator(newKey, CipherSuite.AES_256_GCM, random, clock);
        assertEquals(Reply.Status.DROPPED_AUTH, offer(newClient, 1).status(), "before the reload");
        server.rotate(newKey, GRACE_NANOS);
        establish(newClient, 2);
        establish(oldClient, 3);
        assertEquals(1, server.previousKeyHandshakes());
        establish(newClient, 4);
        assertEquals(1, server.previousKeyHandshakes());

        clock.advanceMillis(GRACE_NANOS / 1_000_000L - 1);
        establish(oldClient, 5);
        clock.advanceMillis(1);
        assertEquals(Reply.Status.DROPPED_AUTH, offer(oldClient, 6).status(), "after the grace period");
        establish(newClient, 7);
    }

    @Test
    void duringTheGraceAnUnauthenticatedInitCostsTwoHmacsAndOneAfterIt() {
        server.rotate(newKey, GRACE_NANOS);
        HandshakeInitiator stranger = new HandshakeInitiator(key(3), CipherSuite.AES_256_GCM, random, clock);
        long macs = server.macComputations();
        assertEquals(Reply.Status.DROPPED_AUTH, offer(stranger, 1).status());
        assertEquals(2, server.macComputations() - macs);
        clock.advanceMillis(GRACE_NANOS / 1_000_000L);
        macs = server.macComputations();
        assertEquals(Reply.Status.DROPPED_AUTH, offer(stranger, 2).status());
        assertEquals(1, server.macComputations() - macs);
    }

    @Test
    void aClientSwitchesAtItsNextOffer() {
        HandshakeInitiator client = new HandshakeInitiator(oldKey, CipherSuite.AES_256_GCM, random, clock);
        client.begin(1, false, timestamp++);
        client.rotate(newKey);
        assertEquals(0, client.pendingSessionId(), "the offer under the old key is dropped");
        HandshakeResponder newServer = new HandshakeResponder(newKey, CipherSuite.AES_256_GCM, random, clock);
        client.begin(2, false, timestamp++);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] out = new byte[128];
        assertEquals(Reply.Status.DROPPED_AUTH, server.respond(init, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0).status(),
                "a server that has only the old key");
        Reply r = newServer.respond(init, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.ACCEPTED, r.status());
        assertEquals(Outcome.Status.ESTABLISHED, client.complete(out, 0, r.length(), 0).status());
    }

    private Reply offer(HandshakeInitiator client, int id) {
        client.begin(id, false, timestamp++);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        return server.respond(init, 0, INIT, SOURCE, new byte[128], 0, 0, 0, 0, 0);
    }

    /** A full exchange: the answer is signed under the client's key and the keys agree. */
    private void establish(HandshakeInitiator client, int id) {
        client.begin(id, false, timestamp++);
        byte[] init = new byte[INIT];
        client.writeInit(init, 0, 0, 0, 0, Header.NO_ECHO);
        byte[] out = new byte[128];
        Reply r = server.respond(init, 0, INIT, SOURCE, out, 0, 0, 0, 0, 0);
        assertEquals(Reply.Status.ACCEPTED, r.status(), "offer " + id);
        Outcome o = client.complete(out, 0, r.length(), 0);
        assertEquals(Outcome.Status.ESTABLISHED, o.status(), o.reason());
        assertArrayEquals(r.keys().receiveKey(), o.keys().sendKey());
    }

    private static HandshakeKey key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return HandshakeKey.derive(PreSharedKey.of(k));
    }
}
