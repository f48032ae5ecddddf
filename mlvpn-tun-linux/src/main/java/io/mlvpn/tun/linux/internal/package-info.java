/**
 * Everything of the Linux module that names JNA: the libc functions
 * ({@link io.mlvpn.tun.linux.internal.LibC}), one constants class per C header, the C structures
 * with their layouts (checked against the headers by a test), errno to exception conversion
 * ({@link io.mlvpn.tun.linux.internal.Errno}), and the native-memory helpers built on them: the
 * descriptor guard and poller, the {@code recvmmsg}/{@code sendmmsg} message arrays, the sockaddr
 * codec, direct-buffer addresses and the credential calls. Public only because JNA and the
 * module's outer package need it; not API, may change at any time, and no type here appears in a
 * public signature outside this package. Parameters and results are non-null unless a method says
 * otherwise.
 */
package io.mlvpn.tun.linux.internal;
