package io.mlvpn.core.session;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import java.security.SecureRandom;

/** Builds handshake INITs the way an attacker holding the key (or a recording) would, for tests outside this package. */
public final class TestInits {
    private TestInits() {
    }

    /**
     * An authentic INIT of this version for a fresh offer, with its cipher id byte replaced by
     * {@code cipherId} and signed again.
     */
    public static byte[] init(HandshakeKey key, int sessionId, long timestampMicros, int cipherId, int linkId) {
        HandshakeInitiator c = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, new SecureRandom());
        c.begin(sessionId, false, timestampMicros);
        byte[] b = new byte[HandshakeInitiator.INIT_LENGTH];
        c.writeInit(b, 0, linkId, 0, 0, Header.NO_ECHO);
        b[HandshakeFormat.INIT_CIPHER] = (byte) cipherId;
        key.newMac().sign(b, 0, HandshakeFormat.INIT_SIGNED_LENGTH);
        return b;
    }

    /**
     * A HANDSHAKE_INIT of handshake 1, exactly as mlvpn-java up to commit 7cee88a wrote it: header,
     * then client public key (32), timestamp (8), cipher id (1), flags (1), then
     * HMAC-SHA256(handshakeKey, header || payload) truncated to 16 bytes; 74 bytes, no version
     * byte, no mac2.
     */
    public static byte[] legacyInit(HandshakeKey key, int sessionId, long timestampMicros, int linkId) {
        byte[] b = new byte[74];
        Header.write(b, 0, PacketType.HANDSHAKE_INIT, linkId, sessionId, 0, 0, Header.NO_ECHO, 0);
        byte[] privateKey = new byte[32];
        new SecureRandom().nextBytes(privateKey);
        byte[] publicKey = KeyExchange.publicFromPrivate(privateKey);
        System.arraycopy(publicKey, 0, b, 16, 32);
        Header.putLong(b, 48, timestampMicros);
        b[56] = (byte) CipherSuite.AES_256_GCM.wireId();
        b[57] = 2; // the client takes partial checksums, as every engine of 7cee88a said
        key.newMac().sign(b, 0, 58);
        return b;
    }
}
