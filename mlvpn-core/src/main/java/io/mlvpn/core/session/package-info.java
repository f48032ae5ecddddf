/**
 * Session establishment: secrets, the X25519 handshake authenticated by the pre-shared key, and
 * session keys (docs/protocol.md, section 5).
 *
 * <p>{@link io.mlvpn.core.session.Secrets} turns a key file or a password into the
 * {@link io.mlvpn.api.config.PreSharedKey} that authenticates the handshake. Together with
 * {@code io.mlvpn.core.crypto} this is the only package that may use {@code javax.crypto} or Tink.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.session;
