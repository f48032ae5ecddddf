/**
 * Per-packet cryptography seen from outside the engine: the cipher suites and the
 * {@link io.mlvpn.api.crypto.PacketSealer} contract. Keys never appear in this package's types.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.api.crypto;
