/**
 * End-to-end tests (Failsafe, {@code *IT}): the launcher jar as client and server in two network
 * namespaces joined by veth pairs, built and driven by {@code benchmarks/e2e/lab.sh}. They need
 * root and iproute2, nftables, iperf3 and ping, and skip with the reason otherwise. Parameters and
 * results are non-null unless a method says otherwise.
 */
package io.mlvpn.launcher.e2e;
