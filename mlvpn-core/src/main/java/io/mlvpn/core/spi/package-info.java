/**
 * Engine-internal plumbing for the SPIs: loading providers with {@link java.util.ServiceLoader}
 * and choosing one with a message that lists every provider tried. Not part of the API.
 * Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.core.spi;
