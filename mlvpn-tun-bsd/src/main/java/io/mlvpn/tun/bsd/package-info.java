/**
 * tun/tap devices for FreeBSD and OpenBSD and utun devices for macOS, found by
 * {@link java.util.ServiceLoader} as the {@code bsd-tun} {@link io.mlvpn.api.device.DeviceProvider}.
 *
 * <p>Design note: a tun device carries a 4-byte address-family header in front of each packet
 * (FreeBSD in multi-af mode, OpenBSD always, macOS utun always); {@link BsdTunDevice} strips it on
 * read and writes it on write, derived from the packet's IP version, so the engine sees bare IP
 * packets as on Linux. tap devices carry bare Ethernet frames. Reads block in {@code poll(2)} on the
 * device and a wake-up pipe, so {@code close()} wakes a blocked reader at once. {@link BsdTun}
 * probes once whether devices can be opened here and says why not. The native code runs only on
 * the BSDs and macOS; on Linux the provider reports that it does not apply.
 *
 * <p>Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.tun.bsd;
