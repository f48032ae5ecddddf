/**
 * An in-process network lab for tests, demos and embedders' own tests: a UDP relay that stands in
 * for an uplink on loopback and, per direction, limits its rate behind a bounded queue, delays,
 * jitters and loses datagrams, cuts the path, or moves its port (a NAT rebinding). It replaces
 * netem where the kernel has none. Not used by the engine.
 *
 * <p>Until issue 17 this package was {@code io.mlvpn.core.lab} inside the core jar; the classes
 * and their behaviour are unchanged, only the package and the artifact ({@code mlvpn-testkit}).
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.testkit.lab;
