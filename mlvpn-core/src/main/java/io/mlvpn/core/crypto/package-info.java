/**
 * Per-packet cryptography: the {@link io.mlvpn.api.crypto.PacketSealer}s of each cipher suite
 * (created by {@link io.mlvpn.core.crypto.Sealers}) and the per-link
 * {@link io.mlvpn.core.crypto.ReplayWindow}. Only this package and {@code io.mlvpn.core.session}
 * touch {@code javax.crypto} or Tink.
 *
 * <p>Design note.
 * <ul>
 *   <li><b>Nonce rule.</b> The 12-byte nonce is four bytes big-endian {@code nonceId} (the sending
 *       link's id) and eight bytes big-endian {@code counter} (that link's packet counter, which
 *       only grows), so a nonce never repeats under one key across all links as long as the
 *       session rotates keys before a counter wraps. The same counter feeds the receiver's
 *       replay window, which is consulted before opening and updated only after a packet
 *       authenticated.</li>
 *   <li><b>Why the JDK cipher and not Tink's {@code Aead} per packet.</b> Tink's {@code Aead}
 *       allocates a new output array (and a new {@code Cipher}) on every call and draws a random
 *       nonce it prefixes to the ciphertext; its caller-nonce classes sit in {@code internal}
 *       packages. Our packets already carry a unique counter, and the per-packet path must work in
 *       place on pooled heap arrays, so each sealer keeps one JDK {@code Cipher} per direction and
 *       calls {@code init} with a fresh counter nonce before every packet. That {@code init}
 *       (and the provider's per-operation state) is the one allocation per packet we accept:
 *       about 2.3 KB per seal+open pair of 1400 bytes for AES-GCM and about 3.7 KB for ChaCha20-Poly1305 on
 *       JDK 17. Tink still does X25519, HKDF and key handling in {@code io.mlvpn.core.session}.</li>
 *   <li><b>Failures.</b> {@code open} returns {@code -1} for anything wrong with a packet (bad
 *       tag, wrong nonce, truncated or out-of-range lengths) and never throws for bad input; the
 *       JDK's tag failure exception is the cost of a forged packet. {@code seal} throws only for
 *       caller bugs: an out-of-range buffer, or the same nonce sealed twice in a row (the JDK
 *       refuses that).</li>
 * </ul>
 *
 * <p>Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.crypto;
