package io.mlvpn.core.session;

import com.google.crypto.tink.subtle.X25519;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.wire.Header;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.Arrays;

/**
 * X25519 agreement and the session key derivation of docs/protocol.md, section 5, shared by both
 * sides so they cannot drift apart. Stateless.
 */
final class KeyExchange {
    static final int PRIVATE_KEY_LENGTH = 32;
    /** Client-to-server key followed by server-to-client key. */
    static final int OKM_LENGTH = 2 * SessionKeys.KEY_LENGTH;

    private static final byte[] SESSION_LABEL = "mlvpn2 session".getBytes(StandardCharsets.US_ASCII);

    private KeyExchange() {
    }

    /** The public key of a 32-byte private key (X25519 clamps the scalar itself). */
    static byte[] publicFromPrivate(byte[] privateKey) {
        try {
            return X25519.publicFromPrivate(privateKey);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("X25519 private key of " + privateKey.length + " bytes", e);
        }
    }

    /**
     * {@code okm = HKDF(X25519(privateKey, peerPublic), psk, "mlvpn2 session" || clientPublic ||
     * serverPublic || sessionId || cipherId, 64)}.
     *
     * @return the 64 bytes, or {@code null} when the peer's key is invalid or yields the all-zero
     *     shared secret
     */
    static byte[] deriveOkm(HandshakeKey key, byte[] privateKey, byte[] peerPublic, byte[] clientPublic,
            byte[] serverPublic, int sessionId, CipherSuite cipher) {
        byte[] shared;
        try {
            shared = X25519.computeSharedSecret(privateKey, peerPublic);
        } catch (InvalidKeyException e) {
            return null;
        }
        try {
            if (isAllZero(shared)) {
                return null;
            }
            byte[] info = new byte[SESSION_LABEL.length + 2 * HandshakeFormat.PUBLIC_KEY_LENGTH + 3];
            int p = 0;
            System.arraycopy(SESSION_LABEL, 0, info, p, SESSION_LABEL.length);
            p += SESSION_LABEL.length;
            System.arraycopy(clientPublic, 0, info, p, HandshakeFormat.PUBLIC_KEY_LENGTH);
            p += HandshakeFormat.PUBLIC_KEY_LENGTH;
            System.arraycopy(serverPublic, 0, info, p, HandshakeFormat.PUBLIC_KEY_LENGTH);
            p += HandshakeFormat.PUBLIC_KEY_LENGTH;
            Header.putShort(info, p, sessionId);
            info[p + 2] = (byte) cipher.wireId();
            return key.expandSession(shared, info, OKM_LENGTH);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    static byte[] clientToServer(byte[] okm) {
        return Arrays.copyOfRange(okm, 0, SessionKeys.KEY_LENGTH);
    }

    static byte[] serverToClient(byte[] okm) {
        return Arrays.copyOfRange(okm, SessionKeys.KEY_LENGTH, OKM_LENGTH);
    }

    /** Constant time: the shared secret must not leak through timing. */
    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (int i = 0; i < b.length; i++) {
            acc |= b[i];
        }
        return acc == 0;
    }
}
