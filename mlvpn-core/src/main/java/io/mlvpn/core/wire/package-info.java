/**
 * The wire format of protocol version 2 (docs/protocol.md): the 16-byte header read and written in
 * place, truncated counters, receive reports and timestamps.
 *
 * <p>Design note: the header is small (16 bytes; with the 16-byte tag, 32 bytes of overhead per
 * packet) because every byte costs bonded throughput; counters travel truncated to 32 bits and are
 * rebuilt against the highest accepted value. Everything here is static, stateless and
 * allocation-free so it can sit on the per-packet path. Parameters and results are non-null unless
 * a method says otherwise.
 */
package io.mlvpn.core.wire;
