/**
 * Packet devices in core: {@link io.mlvpn.core.device.DeviceProviders} finds the device providers
 * on the class path (the OS modules' tun/tap providers) and chooses one, and
 * {@link io.mlvpn.core.device.MemoryDevice} is an in-memory device for embedders, tests and the
 * no-root demo.
 *
 * <p>Design note: {@code MemoryDevice} copies packets through two bounded single-producer
 * single-consumer rings of preallocated slots, so it allocates nothing and takes no lock per
 * packet; a full ring is a counted drop, never a block. This package is public API. Parameters
 * and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.device;
