package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.wire.Header;
import io.mlvpn.testkit.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Fuzz targets: the handshake's two ends with any datagram (docs/fuzzing.md). Kept thin on
 * purpose, bytes in and a sane outcome out, so that they follow the handshake as it changes.
 *
 * <p>Input: a control byte, then the datagram. Bit 0 of the control byte makes the harness sign
 * the datagram with the real handshake key (the tag appended), so that the fuzzer gets past the
 * MAC; bit 1 (responder) stamps the offer with a fresh timestamp, so that it gets past the replay
 * check; bits 2-7 pick the source address (the rate limit is per address) and the clock moves a
 * second per input, refilling the limiter.
 */
class HandshakeFuzzTest {
    private static final PreSharedKey KEY = PreSharedKey.of(filled(7));
    private final HandshakeKey key = HandshakeKey.derive(KEY);
    private final HandshakeMac mac = key.newMac();
    private final ManualClock clock = new ManualClock();
    private final SecureRandom random = new SecureRandom();
    private final HandshakeResponder responder = new HandshakeResponder(key, CipherSuite.AES_256_GCM, random, clock);
    private final HandshakeInitiator initiator = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, random, clock);
    private final byte[] out = new byte[256];
    private long timestamps = 1_000_000L;

    @FuzzTest
    void responder(byte[] input) throws UnknownHostException {
        if (input.length < 1) {
            return;
        }
        clock.advanceMillis(1_000);
        byte[] d = datagram(input);
        if ((input[0] & 2) != 0 && d.length >= HandshakeFormat.INIT_TIMESTAMP + 8 + Header.TAG_LENGTH) {
            Header.putLong(d, HandshakeFormat.INIT_TIMESTAMP, ++timestamps);
            if ((input[0] & 1) != 0) {
                mac.sign(d, 0, d.length - Header.TAG_LENGTH);
            }
        }
        InetSocketAddress source = new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) ((input[0] & 0xFF) >>> 2)}), 5080);
        HandshakeResponder.Reply r = responder.respond(d, 0, d.length, source, out, 0, 0, 0, 0, Header.NO_ECHO);
        assertNotNull(r.status(), "a status");
        int longest = Math.max(HandshakeResponder.RESPONSE_LENGTH,
                Math.max(HandshakeResponder.REJECT_LENGTH, HandshakeResponder.COOKIE_REPLY_LENGTH));
        assertTrue(r.length() >= 0 && r.length() <= longest, () -> "length of " + r);
        switch (r.status()) {
            case ACCEPTED:
            case RETRANSMIT:
                assertNotNull(r.keys(), "keys of " + r);
                assertTrue(r.length() > 0, () -> "an answer to send: " + r);
                break;
            default:
                break;
        }
    }

    @FuzzTest
    void initiator(byte[] input) {
        if (input.length < 1) {
            return;
        }
        byte[] d = datagram(input);
        // The offer answered: its session id is the datagram's, when it has one.
        int sessionId = d.length >= 4 ? Math.max(1, Header.sessionId(d, 0)) : 1;
        initiator.begin(sessionId, (input[0] & 2) != 0, clock.currentTimeMillis() * 1000L);
        HandshakeInitiator.Outcome o = initiator.complete(d, 0, d.length, 0);
        assertNotNull(o.status(), "a status");
        if (o.status() == HandshakeInitiator.Outcome.Status.ESTABLISHED) {
            assertNotNull(o.keys(), "keys of " + o);
        }
    }

    /** The datagram after the control byte, signed with the real key when bit 0 asks. */
    private byte[] datagram(byte[] input) {
        if ((input[0] & 1) == 0) {
            return Arrays.copyOfRange(input, 1, input.length);
        }
        byte[] d = Arrays.copyOfRange(input, 1, input.length + Header.TAG_LENGTH);
        mac.sign(d, 0, input.length - 1);
        return d;
    }

    private static byte[] filled(int b) {
        byte[] k = new byte[PreSharedKey.LENGTH];
        Arrays.fill(k, (byte) b);
        return k;
    }
}
