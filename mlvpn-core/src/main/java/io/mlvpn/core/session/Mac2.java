package io.mlvpn.core.session;

import static io.mlvpn.core.session.HandshakeFormat.INIT_MAC2;

import io.mlvpn.core.wire.Header;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The INIT's second MAC (docs/protocol.md, section 5): {@code mac2 = HMAC-SHA256(cookie, header ||
 * payload || mac1)[0..16)}, the proof that the sender received the server's cookie at its
 * address. Stateless; allocates (a new key each time), which the rare handshake path can afford.
 */
final class Mac2 {
    private Mac2() {
    }

    /** Writes the mac2 of the INIT at {@code init[off]} (up to mac2) to {@code dst}. */
    static void compute(byte[] cookie, byte[] init, int off, byte[] dst) {
        byte[] full = hmac(cookie, init, off, INIT_MAC2);
        System.arraycopy(full, 0, dst, 0, Header.TAG_LENGTH);
    }

    /** The full 32-byte HMAC-SHA256 of {@code b[off, off + length)} under {@code key}. */
    static byte[] hmac(byte[] key, byte[] b, int off, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(b, off, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
