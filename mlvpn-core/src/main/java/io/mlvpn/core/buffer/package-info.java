/**
 * The capped pool of packet buffers every data-path thread takes from and returns to.
 *
 * <p>Design note: a pool holds buffers of one capacity and never more than its cap, so memory is
 * bounded and an exhausted pool is a counted drop, not growth. Buffers are allocated lazily, never
 * under a lock, and then reused forever: in steady state acquiring and releasing allocates nothing.
 * The free list is a lock-free multi-producer multi-consumer ring, so any thread may release. An
 * outstanding count catches releases without a matching acquire and, in tests, leaks. What the
 * engine says about a buffer's packet travels as typed fields of its
 * {@link io.mlvpn.core.buffer.PacketMeta}, made once per buffer and reset on every acquire.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.buffer;
