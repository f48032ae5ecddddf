package io.mlvpn.core.session;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.wire.Header;
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
}
