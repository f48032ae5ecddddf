/**
 * Session establishment: secrets, the X25519 handshake authenticated by the pre-shared key, and
 * session keys (docs/protocol.md, section 5). Parameters and results are non-null unless a method
 * says otherwise.
 */
package io.mlvpn.core.session;
