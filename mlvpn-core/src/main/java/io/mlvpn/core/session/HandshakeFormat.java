package io.mlvpn.core.session;

import io.mlvpn.core.wire.Header;

/** Offsets and lengths of the handshake packets of handshake version 2 (docs/protocol.md, section 5). */
final class HandshakeFormat {
    static final int PUBLIC_KEY_LENGTH = 32;
    /** The handshake version this code speaks; the first byte of every INIT's payload. */
    static final int VERSION = 2;
    /** Length of the handshake-1 INIT (mlvpn-java up to commit 7cee88a), which had no version byte. */
    static final int LEGACY_INIT_LENGTH = 74;
    /** Where handshake 1 put its HMAC: after a 42-byte payload. */
    static final int LEGACY_INIT_SIGNED_LENGTH = LEGACY_INIT_LENGTH - Header.TAG_LENGTH;

    /** INIT payload: handshake version, client public key, timestamp, cipher id, flags; then mac1, mac2. */
    static final int INIT_VERSION = Header.LENGTH;
    static final int INIT_PUBLIC = INIT_VERSION + 1;
    static final int INIT_TIMESTAMP = INIT_PUBLIC + PUBLIC_KEY_LENGTH;
    static final int INIT_CIPHER = INIT_TIMESTAMP + 8;
    static final int INIT_FLAGS = INIT_CIPHER + 1;
    /** Header and payload: what mac1 covers; mac1 follows. */
    static final int INIT_SIGNED_LENGTH = INIT_FLAGS + 1;
    /** The offer: the INIT's payload, which every answer's MAC also covers (without sending it). */
    static final int OFFER_LENGTH = INIT_SIGNED_LENGTH - Header.LENGTH;
    /** Header, payload and mac1: what mac2 covers; mac2 follows. */
    static final int INIT_MAC2 = INIT_SIGNED_LENGTH + Header.TAG_LENGTH;
    static final int INIT_LENGTH = INIT_MAC2 + Header.TAG_LENGTH;
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

    /** REJECT payload: reason, server cipher id, the server's last accepted timestamp. */
    static final int REJECT_REASON = Header.LENGTH;
    static final int REJECT_CIPHER = REJECT_REASON + 1;
    static final int REJECT_TIMESTAMP = REJECT_CIPHER + 1;
    static final int REJECT_SIGNED_LENGTH = REJECT_TIMESTAMP + 8;
    static final int REJECT_LENGTH = REJECT_SIGNED_LENGTH + Header.TAG_LENGTH;
    static final int REASON_CIPHER_MISMATCH = 1;
    static final int REASON_STALE = 2;

    /** COOKIE payload: GCM nonce, then the encrypted 16-byte cookie and its tag. */
    static final int COOKIE_NONCE = Header.LENGTH;
    static final int COOKIE_NONCE_LENGTH = 12;
    static final int COOKIE_SEALED = COOKIE_NONCE + COOKIE_NONCE_LENGTH;
    static final int COOKIE_LENGTH = 16;
    static final int COOKIE_REPLY_LENGTH = COOKIE_SEALED + COOKIE_LENGTH + Header.TAG_LENGTH;

    private HandshakeFormat() {
    }
}
