/**
 * An in-process network lab for tests, demos and embedders' own tests: a UDP relay that stands in
 * for an uplink on loopback and can cut it or move its port. Not used by the engine.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.lab;
