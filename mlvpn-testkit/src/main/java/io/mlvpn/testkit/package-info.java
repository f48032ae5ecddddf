/**
 * mlvpn-testkit: what tests (core's, the launcher's, an embedder's) and the launcher's demo need
 * and the engine does not, kept out of the core jar: the {@link io.mlvpn.testkit.ManualClock} and,
 * in {@link io.mlvpn.testkit.lab}, the loopback UDP relays and their impairments (rate, delay,
 * jitter, loss, cut, rebinding).
 *
 * <p><b>Design.</b> The module depends on {@code mlvpn-api} and the JDK only, not on core, because
 * core's own tests depend on it and Maven allows no cycle between modules, not even through test
 * scope. That is why {@link io.mlvpn.api.Clock} lives in the API, and why the relay carries its own
 * copy of core's single-producer single-consumer ring.
 *
 * <p><b>The in-process tunnel pair</b> (a client and a server tunnel over these relays with
 * in-memory devices) builds tunnels with core's {@code TunnelBuilder} and {@code MemoryDevice},
 * so it cannot live here: core's tests keep theirs ({@code io.mlvpn.core.testing.TunnelPair},
 * which also checks for engine leaks), and the launcher's demo ({@code io.mlvpn.launcher.Demo})
 * builds the same pair at run time. An embedder's test does as the demo does: one
 * {@link io.mlvpn.testkit.lab.UdpRelay} per link in front of the server's port, the client's link
 * pointed at {@link io.mlvpn.testkit.lab.UdpRelay#port()}.
 *
 * <p>Test scope for tests; compile scope only where a program runs the lab, as the launcher's demo
 * does. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.testkit;
