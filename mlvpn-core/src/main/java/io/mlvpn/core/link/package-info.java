/**
 * One link's pieces that are not per-packet code: when to probe a link that is down.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.link;
