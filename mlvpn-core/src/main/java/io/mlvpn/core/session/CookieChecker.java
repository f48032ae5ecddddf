package io.mlvpn.core.session;

import static io.mlvpn.core.session.HandshakeFormat.COOKIE_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.INIT_MAC2;

import io.mlvpn.api.Clock;
import io.mlvpn.core.wire.Header;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The server's cookies (docs/protocol.md, section 5, "Under load"): {@code cookie =
 * HMAC-SHA256(secret, source IP || source port)[0..16)} under a random secret replaced every
 * {@value #SECRET_LIFETIME_SECONDS} s, and the check of an INIT's {@code mac2 = HMAC-SHA256(cookie,
 * INIT up to mac2)[0..16)}. A valid mac2 proves that the sender received a cookie at its source
 * address within the last two secrets' lifetime. Keeps no state per address.
 *
 * <p>Not thread-safe: used under the responder's lock. Counts its MAC computations for the tests
 * that bound a datagram's cost.
 */
final class CookieChecker {
    /** How long a secret makes cookies; cookies of the one before are still taken. */
    static final int SECRET_LIFETIME_SECONDS = 120;
    private static final long SECRET_LIFETIME_NANOS = SECRET_LIFETIME_SECONDS * 1_000_000_000L;

    private final Clock clock;
    private final SecureRandom random;
    private byte[] secret = new byte[32];
    private byte[] previous;
    private long secretBornNanos;
    private boolean drawn;
    private final byte[] cookie = new byte[COOKIE_LENGTH];
    private final byte[] mac2 = new byte[Header.TAG_LENGTH];
    private final byte[] received = new byte[Header.TAG_LENGTH];
    private long macComputations;

    CookieChecker(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** True when the INIT at {@code in[off]} carries a mac2 made with a cookie for {@code source}. */
    boolean mac2Valid(byte[] in, int off, InetSocketAddress source) {
        rotate();
        System.arraycopy(in, off + INIT_MAC2, received, 0, Header.TAG_LENGTH);
        if (matches(secret, in, off, source)) {
            return true;
        }
        return previous != null && matches(previous, in, off, source);
    }

    /** The current cookie for {@code source}, in an array this object reuses. */
    byte[] cookieFor(InetSocketAddress source) {
        rotate();
        compute(secret, source);
        return cookie;
    }

    /** HMAC computations so far. */
    long macComputations() {
        return macComputations;
    }

    private boolean matches(byte[] s, byte[] in, int off, InetSocketAddress source) {
        compute(s, source);
        Mac2.compute(cookie, in, off, mac2);
        macComputations++;
        return MessageDigest.isEqual(mac2, received);
    }

    private void compute(byte[] s, InetSocketAddress source) {
        byte[] ip = source.getAddress().getAddress();
        byte[] message = new byte[ip.length + 2];
        System.arraycopy(ip, 0, message, 0, ip.length);
        Header.putShort(message, ip.length, source.getPort());
        byte[] full = Mac2.hmac(s, message, 0, message.length);
        System.arraycopy(full, 0, cookie, 0, COOKIE_LENGTH);
        macComputations++;
    }

    private void rotate() {
        long now = clock.nanoTime();
        if (!drawn) {
            random.nextBytes(secret);
            secretBornNanos = now;
            drawn = true;
        } else if (now - secretBornNanos >= SECRET_LIFETIME_NANOS) {
            // A cookie made just before the change is still good for the client's full 2 minutes.
            previous = secret;
            secret = new byte[32];
            random.nextBytes(secret);
            secretBornNanos = now;
        }
    }
}
