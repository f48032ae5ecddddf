/**
 * Pooled packet buffers and batches, the unit every data-path SPI moves.
 *
 * <p>Design note: a packet lives in a direct buffer (system calls read and write it without a
 * copy) with headroom in front for the engine's header and room behind for the authentication
 * tag, so framing and sealing happen in place. Batches carry many packets per call so that
 * batched system calls and offloads fit behind the same SPIs. Everything here is reused, never
 * allocated per packet. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.api.packet;
