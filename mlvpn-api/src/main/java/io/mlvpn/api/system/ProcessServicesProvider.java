package io.mlvpn.api.system;

/**
 * Supplies {@link ProcessServices} for one operating system; found through
 * {@link java.util.ServiceLoader}. Stateless, with a public no-argument constructor.
 */
public interface ProcessServicesProvider {

    /** Short unique name ({@code linux}). */
    String name();

    /** Whether the services work here. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, or {@code "available"}. */
    String unavailabilityCause();

    /** The services; only called when available. */
    ProcessServices services();
}
