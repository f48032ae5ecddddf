package io.mlvpn.core.session;

import static io.mlvpn.core.session.HandshakeFormat.COOKIE_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.COOKIE_NONCE;
import static io.mlvpn.core.session.HandshakeFormat.COOKIE_NONCE_LENGTH;
import static io.mlvpn.core.session.HandshakeFormat.COOKIE_SEALED;
import static io.mlvpn.core.session.HandshakeFormat.OFFER_LENGTH;

import io.mlvpn.core.wire.Header;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the cookie of a HANDSHAKE_COOKIE (docs/protocol.md, section 5): AES-256-GCM under
 * the cookie key, the nonce sent in the packet, the associated data the packet's header followed by
 * the offer of the INIT it answers, so that nobody without the pre-shared key can read or forge a
 * cookie, and a cookie reply is good only for the offer it answers.
 *
 * <p>Not thread-safe: one per side, used under that side's lock.
 */
final class CookieReplyCipher {
    private static final int TAG_BITS = Header.TAG_LENGTH * 8;

    private final SecretKeySpec key;
    private final Cipher cipher;
    /**
     * Sealing nonces: 4 random bytes drawn once and a counter, so no nonce repeats in this process
     * however many replies a flood draws, and another process repeats one only by drawing the
     * same 4 bytes and reaching the same count.
     */
    private final byte[] nonce = new byte[COOKIE_NONCE_LENGTH];
    private long counter;

    CookieReplyCipher(byte[] cookieKey) {
        this.key = new SecretKeySpec(cookieKey, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
    }

    /**
     * Writes nonce, sealed cookie and tag after the header already at {@code out[off]}.
     *
     * @param offer the INIT's offer, {@link HandshakeFormat#OFFER_LENGTH} bytes at {@code offerOff}
     */
    void seal(byte[] out, int off, byte[] cookie, byte[] offer, int offerOff, SecureRandom random) {
        if (counter == 0) {
            random.nextBytes(nonce);
        }
        Header.putLong(nonce, 4, counter++);
        System.arraycopy(nonce, 0, out, off + COOKIE_NONCE, COOKIE_NONCE_LENGTH);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(out, off, Header.LENGTH);
            cipher.updateAAD(offer, offerOff, OFFER_LENGTH);
            cipher.doFinal(cookie, 0, COOKIE_LENGTH, out, off + COOKIE_SEALED);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cookie sealing failed", e);
        }
    }

    /**
     * Opens the cookie of the reply at {@code in[off]} into {@code cookie}.
     *
     * @return false when the reply is not authentic or not for this offer
     */
    boolean open(byte[] in, int off, byte[] offer, int offerOff, byte[] cookie) {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, off + COOKIE_NONCE,
                    COOKIE_NONCE_LENGTH));
            cipher.updateAAD(in, off, Header.LENGTH);
            cipher.updateAAD(offer, offerOff, OFFER_LENGTH);
            return cipher.doFinal(in, off + COOKIE_SEALED, COOKIE_LENGTH + Header.TAG_LENGTH, cookie, 0)
                    == COOKIE_LENGTH;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cookie opening failed", e);
        }
    }
}
