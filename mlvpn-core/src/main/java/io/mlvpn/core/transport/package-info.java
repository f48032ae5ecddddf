/**
 * Datagram transports in core: the portable
 * {@link io.mlvpn.core.transport.DatagramChannelTransport} (provider {@code datagram-channel},
 * registered with {@link java.util.ServiceLoader}) and
 * {@link io.mlvpn.core.transport.TransportProviders}, which finds the transport providers on the
 * class path and chooses one per link.
 *
 * <p>Design note: the portable transport is one blocking, unconnected {@code DatagramChannel} per
 * link that reads and writes the pooled direct buffers in place, one datagram per system call;
 * batching and bind-to-device come from the native providers behind the same SPI. Parameters and
 * results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.transport;
