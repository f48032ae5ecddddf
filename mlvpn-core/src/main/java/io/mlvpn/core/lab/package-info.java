/**
 * An in-process network lab for tests, demos and embedders' own tests: a UDP relay that stands in
 * for an uplink on loopback and, per direction, limits its rate behind a bounded queue, delays,
 * jitters and loses datagrams, cuts the path, or moves its port (a NAT rebinding). It replaces
 * netem where the kernel has none. Not used by the engine.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.lab;
