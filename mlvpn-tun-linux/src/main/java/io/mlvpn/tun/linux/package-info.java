/**
 * Linux native support for mlvpn-java, found through {@link java.util.ServiceLoader}: tun/tap
 * devices ({@link io.mlvpn.tun.linux.LinuxTunProvider}), a UDP transport that can bind to an
 * interface and force socket buffers ({@link io.mlvpn.tun.linux.LinuxUdpTransportProvider}), and
 * dropping root while keeping CAP_NET_ADMIN ({@link io.mlvpn.tun.linux.LinuxProcessServicesProvider}).
 * {@link io.mlvpn.tun.linux.LinuxTun} says whether devices can be created here and why not.
 *
 * <p>Design note: every system call goes through JNA direct mapping in the {@code internal}
 * package and every failure becomes an {@link java.io.IOException} naming the call and errno.
 * Each descriptor is owned by a guard that closes it exactly once, after the last call using it
 * has left; blocking waits poll the descriptor together with an eventfd that close signals. Data
 * moves straight between the kernel and the engine's pooled direct buffers, allocating nothing per
 * packet. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.tun.linux;
