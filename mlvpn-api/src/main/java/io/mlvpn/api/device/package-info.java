/**
 * The packet device SPI: where the tunnel's inner packets come from and go to.
 *
 * <p>Core ships an in-memory device; the OS modules provide tun/tap devices. Parameters and results
 * are non-null unless a method says otherwise.
 */
package io.mlvpn.api.device;
