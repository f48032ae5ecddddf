/**
 * What the engine needs to know about inner packets: answering an oversize packet with ICMP.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.inner;
