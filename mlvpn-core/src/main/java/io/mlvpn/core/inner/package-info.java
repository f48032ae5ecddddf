/**
 * What the engine needs to know about inner packets: answering an oversize packet with ICMP,
 * and carrying partial transport checksums across the tunnel.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.inner;
