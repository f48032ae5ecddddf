/**
 * JNA bindings of the Linux module: the libc functions ({@link io.mlvpn.tun.linux.internal.LibC}),
 * one constants class per C header, the C structures with their layouts (checked against the
 * headers by a test), and errno to exception conversion ({@link io.mlvpn.tun.linux.internal.Errno}).
 * Public only because JNA needs it; not API, may change at any time, and no type here appears in a
 * public signature outside this package. Parameters and results are non-null unless a method says
 * otherwise.
 */
package io.mlvpn.tun.linux.internal;
