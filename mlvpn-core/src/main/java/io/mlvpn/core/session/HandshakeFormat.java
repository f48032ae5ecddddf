package io.mlvpn.core.session;

import io.mlvpn.core.wire.Header;

/** Offsets and lengths of the handshake packets (docs/protocol.md, section 5). */
final class HandshakeFormat {
    static final int PUBLIC_KEY_LENGTH = 32;

    /** INIT payload: client public key, timestamp, cipher id, flags. */
    static final int INIT_PUBLIC = Header.LENGTH;
    static final int INIT_TIMESTAMP = INIT_PUBLIC + PUBLIC_KEY_LENGTH;
    static final int INIT_CIPHER = INIT_TIMESTAMP + 8;
    static final int INIT_FLAGS = INIT_CIPHER + 1;
    static final int INIT_SIGNED_LENGTH = INIT_FLAGS + 1;
    static final int INIT_LENGTH = INIT_SIGNED_LENGTH + Header.TAG_LENGTH;
    static final int FLAG_REKEY = 1;
    /** INIT flag: the client takes DATA_PARTIAL_CHECKSUM packets. */
    static final int FLAG_PARTIAL_CHECKSUMS = 2;

    /** RESPONSE payload: server public key, cipher id, flags. */
    static final int RESPONSE_PUBLIC = Header.LENGTH;
    static final int RESPONSE_CIPHER = RESPONSE_PUBLIC + PUBLIC_KEY_LENGTH;
    static final int RESPONSE_FLAGS = RESPONSE_CIPHER + 1;
    static final int RESPONSE_SIGNED_LENGTH = RESPONSE_FLAGS + 1;
    /** RESPONSE flag: the server takes DATA_PARTIAL_CHECKSUM packets. */
    static final int RESPONSE_FLAG_PARTIAL_CHECKSUMS = 1;
    static final int RESPONSE_LENGTH = RESPONSE_SIGNED_LENGTH + Header.TAG_LENGTH;

    /** REJECT payload: reason, server cipher id. */
    static final int REJECT_REASON = Header.LENGTH;
    static final int REJECT_CIPHER = REJECT_REASON + 1;
    static final int REJECT_SIGNED_LENGTH = REJECT_CIPHER + 1;
    static final int REJECT_LENGTH = REJECT_SIGNED_LENGTH + Header.TAG_LENGTH;
    static final int REASON_CIPHER_MISMATCH = 1;

    private HandshakeFormat() {
    }
}
