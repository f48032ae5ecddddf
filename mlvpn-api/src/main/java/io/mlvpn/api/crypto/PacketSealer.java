package io.mlvpn.api.crypto;

/**
 * Seals and opens one packet in place with an AEAD under one fixed key.
 *
 * <p><b>What is protected.</b> {@code seal} encrypts the payload and authenticates the payload
 * together with the header bytes in front of it (the associated data); {@code open} accepts a
 * packet only when neither was changed. A {@linkplain #insecureCleartext() cleartext} sealer skips
 * encryption but never authentication.
 *
 * <p><b>Nonce rule.</b> The 12-byte nonce is built from {@code (nonceId, counter)}: four bytes
 * big-endian {@code nonceId}, then eight bytes big-endian {@code counter}. The caller guarantees
 * that a pair is never sealed twice under one key; the engine uses the sender's link id and that
 * link's packet counter, which only grows.
 *
 * <p><b>Layout.</b> {@code buf[offset, offset + aadLength)} is the header; the payload follows it;
 * the {@value CipherSuite#TAG_LENGTH}-byte tag is written after the payload, so the array needs that
 * much room. Overhead per packet: {@link #overhead()} bytes.
 *
 * <p><b>Threading.</b> Not safe for concurrent use: each thread that seals or opens has its own
 * instance (they may share the key).
 */
public interface PacketSealer {

    /** The AEAD in use. */
    CipherSuite suite();

    /** Bytes a sealed packet is longer than its plaintext (the tag). */
    default int overhead() {
        return CipherSuite.TAG_LENGTH;
    }

    /**
     * Encrypts {@code payloadLength} bytes after the header in place and appends the tag.
     *
     * @return the sealed length: {@code aadLength + payloadLength + overhead()}
     * @throws IllegalStateException when the underlying cipher fails (a bug, not bad input)
     */
    int seal(int nonceId, long counter, byte[] buf, int offset, int aadLength, int payloadLength);

    /**
     * Authenticates and decrypts in place: {@code sealedPayloadLength} is the length of
     * ciphertext plus tag after the header.
     *
     * @return the plaintext payload length, or {@code -1} when authentication fails (the bytes of
     *     the payload are then unspecified)
     */
    int open(int nonceId, long counter, byte[] buf, int offset, int aadLength, int sealedPayloadLength);

    /** True for a sealer that authenticates without encrypting (explicit cleartext option). */
    default boolean insecureCleartext() {
        return false;
    }
}
