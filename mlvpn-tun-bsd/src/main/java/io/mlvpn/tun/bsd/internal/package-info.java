/**
 * Native plumbing of the BSD and macOS devices: the JNA libc mapping, C structures, one constants
 * class per C header, and the batched read/write loop. Not API: it may change without notice, and
 * no JNA type leaves this package.
 *
 * <p>Design note: every number here is written down from the system header it comes from (named in
 * each class), and the tests check the structure layouts and {@code _IOW}/{@code _IOWR} request
 * numbers on any 64-bit JVM, so a slip shows up on Linux CI even though the code only runs on BSD
 * and macOS. Only 64-bit JVMs are supported ({@code size_t} and pointers are 8 bytes).
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.tun.bsd.internal;
