/**
 * The process services SPI: dropping privileges while keeping {@code CAP_NET_ADMIN}.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.api.system;
