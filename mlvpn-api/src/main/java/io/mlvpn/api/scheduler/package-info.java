/**
 * The pluggable scheduler and the read-only view of the links it decides from. Parameters and
 * results are non-null unless a method says otherwise.
 */
package io.mlvpn.api.scheduler;
