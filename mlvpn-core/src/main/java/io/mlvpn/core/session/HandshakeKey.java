package io.mlvpn.core.session;

import com.google.crypto.tink.subtle.Hkdf;
import io.mlvpn.api.config.PreSharedKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The key material a tunnel's handshake needs, derived once from the {@link PreSharedKey}:
 * {@code handshakeKey = HKDF-SHA256(psk, empty salt, "mlvpn2 handshake", 32)} for the handshake
 * MACs, {@code cookieKey = HKDF-SHA256(psk, empty salt, "mlvpn2 cookie", 32)} for the cookie
 * replies, and the psk itself, the salt of every session key derivation (docs/protocol.md,
 * section 5).
 *
 * <p>Instances are immutable (until {@link #destroy()}) and safe for concurrent use; each thread
 * that signs or verifies takes its own {@link HandshakeMac} from {@link #newMac()}.
 */
public final class HandshakeKey {
    /** Length of the handshake key in bytes. */
    static final int LENGTH = 32;

    private static final byte[] HANDSHAKE_INFO = "mlvpn2 handshake".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COOKIE_INFO = "mlvpn2 cookie".getBytes(StandardCharsets.US_ASCII);
    private static final String HKDF_MAC = "HMACSHA256";

    private final byte[] handshakeKey;
    private final byte[] cookieKey;
    private final byte[] psk;

    private HandshakeKey(byte[] handshakeKey, byte[] cookieKey, byte[] psk) {
        this.handshakeKey = handshakeKey;
        this.cookieKey = cookieKey;
        this.psk = psk;
    }

    /**
     * Derives the handshake key from {@code psk}; {@code psk} itself is left untouched.
     *
     * @throws IllegalStateException when the JDK lacks HmacSHA256 (never on a conforming JDK)
     */
    public static HandshakeKey derive(PreSharedKey psk) {
        byte[] pskBytes = psk.bytes();
        return new HandshakeKey(hkdf(pskBytes, new byte[0], HANDSHAKE_INFO, LENGTH),
                hkdf(pskBytes, new byte[0], COOKIE_INFO, LENGTH), pskBytes);
    }

    /** A new MAC under the handshake key, for use by one thread at a time. */
    public HandshakeMac newMac() {
        return new HandshakeMac(handshakeKey);
    }

    /** A new cipher for cookie replies under the cookie key, for use by one thread at a time. */
    CookieReplyCipher newCookieReplyCipher() {
        return new CookieReplyCipher(cookieKey);
    }

    /**
     * {@code HKDF-SHA256(ikm = shared, salt = psk, info, length)}: the session key material of
     * section 5.
     */
    byte[] expandSession(byte[] shared, byte[] info, int length) {
        return hkdf(shared, psk, info, length);
    }

    /** A copy of the derived handshake key, for the test vectors. */
    byte[] handshakeKeyBytes() {
        return handshakeKey.clone();
    }

    /** A copy of the derived cookie key, for the test vectors. */
    byte[] cookieKeyBytes() {
        return cookieKey.clone();
    }

    /**
     * Overwrites the key material with zeros. MACs already made keep working (the JDK holds its own
     * copy); derivations afterwards yield useless keys, so call it only when the tunnel is closed.
     */
    public void destroy() {
        Arrays.fill(handshakeKey, (byte) 0);
        Arrays.fill(cookieKey, (byte) 0);
        Arrays.fill(psk, (byte) 0);
    }

    @Override
    public String toString() {
        return "HandshakeKey[redacted]";
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            return Hkdf.computeHkdf(HKDF_MAC, ikm, salt, info, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable", e);
        }
    }
}
