/**
 * The datagram transport SPI: the UDP socket each link uses.
 *
 * <p>Core ships a portable {@code DatagramChannel} transport; the Linux module adds bind-to-device,
 * forced buffers and batched system calls. Parameters and results are non-null unless a method
 * says otherwise.
 */
package io.mlvpn.api.transport;
