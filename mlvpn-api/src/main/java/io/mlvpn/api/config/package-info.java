/**
 * Immutable, validated configuration: {@link io.mlvpn.api.config.TunnelConfig},
 * {@link io.mlvpn.api.config.LinkConfig}, the {@link io.mlvpn.api.config.PreSharedKey} secret type,
 * and {@link io.mlvpn.api.config.ConfigException}, which names the offending key as written in a
 * properties file. Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.api.config;
