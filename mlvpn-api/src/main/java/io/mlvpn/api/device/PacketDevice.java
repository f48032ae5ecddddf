package io.mlvpn.api.device;

import io.mlvpn.api.packet.PacketBatch;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * A virtual network device the tunnel reads outgoing packets from and writes incoming packets to:
 * a tun/tap device, an in-memory device, or an embedder's own packet source.
 *
 * <p><b>Threading.</b> One thread calls {@link #read}, one (other) thread calls {@link #write};
 * {@link #close()} may be called from any thread, any number of times.
 *
 * <p><b>Ownership.</b> The batch and its buffers belong to the caller; the device uses them only
 * during the call.
 *
 * <p><b>Wake-up and close.</b> {@code close()} makes a {@code read} blocked in another thread return
 * {@code -1} promptly; after close every {@code read} returns {@code -1} and every {@code write}
 * throws {@link java.nio.channels.ClosedChannelException}.
 */
public interface PacketDevice extends Closeable {

    /** The interface name the system gave the device (for example {@code mlvpn0}). */
    String name();

    /** Whether packets are IP packets or Ethernet frames. */
    DeviceType type();

    /** The device MTU in bytes: the largest packet {@link #read} returns (without offloads). */
    int mtu();

    /**
     * Blocks until at least one packet is available, then fills buffers {@code 0 .. n-1} of the
     * batch, each from its current offset, setting its length (and offload metadata where the
     * device has offloads on). A packet that does not fit the space from a buffer's offset to its
     * capacity is truncated to that space and counted by the device; the caller sees a length
     * equal to the space and may drop it.
     *
     * @param batch holds empty buffers; at least one
     * @return packets read, at least 1; {@code -1} once the device is closed
     * @throws IOException when the device fails
     */
    int read(PacketBatch batch) throws IOException;

    /**
     * Writes every buffer of the batch as one packet each, in order.
     *
     * @throws java.nio.channels.ClosedChannelException after {@link #close()}
     * @throws IOException when the device fails; packets before the failing one were written
     */
    void write(PacketBatch batch) throws IOException;

    /**
     * Whether this device passes transport checksums partial: {@link #read} may return TCP and
     * UDP packets flagged {@link io.mlvpn.api.packet.OffloadInfo#FLAG_NEEDS_CSUM}, whose checksum
     * field holds only the pseudo-header sum (csum_start at the transport header, csum_offset at
     * its checksum field, as {@link io.mlvpn.api.packet.InternetChecksum#isTransportPartial}
     * checks), and {@link #write} takes such packets and lets the system complete them only where
     * a packet needs it (Linux: {@code CHECKSUM_PARTIAL}; a packet for a local socket is never
     * summed). The engine carries such packets partial across the tunnel, which saves a pass over
     * every payload at each end; the receiving end completes them before {@link #write} when its
     * own device answers false here.
     *
     * @return false by default
     */
    default boolean partialChecksums() {
        return false;
    }

    /**
     * Why this device runs without the offloads its configuration asked for
     * ({@link DeviceConfig#offloads()}), for the caller to log: for example {@code the kernel refused
     * offloads (ioctl(TUNSETOFFLOAD, ...): EINVAL); using a plain device}. A device reports rather
     * than logs, since device modules depend on no logging library. Not a failure: the device works,
     * without offloads.
     *
     * @return empty when the device runs with the offloads asked for, when none were asked for, or
     *     when it has none to offer (the default)
     */
    default Optional<String> offloadsRefused() {
        return Optional.empty();
    }

    /** Idempotent; wakes a blocked reader. */
    @Override
    void close() throws IOException;
}
