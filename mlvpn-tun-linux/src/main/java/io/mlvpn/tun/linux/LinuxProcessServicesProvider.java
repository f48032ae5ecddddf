package io.mlvpn.tun.linux;

import io.mlvpn.api.system.ProcessServices;
import io.mlvpn.api.system.ProcessServicesProvider;
import io.mlvpn.tun.linux.internal.NativeSupport;

/**
 * The {@code linux} process services: dropping root for a user while keeping CAP_NET_ADMIN. See
 * the services' {@link ProcessServices#dropPrivileges} as implemented here for exactly which threads keep the
 * capability: the calling thread and the threads it starts afterwards. Stateless.
 */
public final class LinuxProcessServicesProvider implements ProcessServicesProvider {
    /** The provider's name. */
    public static final String NAME = "linux";

    /** For {@link java.util.ServiceLoader}. */
    public LinuxProcessServicesProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return NativeSupport.isAvailable();
    }

    @Override
    public String unavailabilityCause() {
        return NativeSupport.unavailabilityCause();
    }

    /**
     * The services. {@code dropPrivileges} changes the uid, gid and groups of every thread; only the
     * calling thread, and threads it starts afterwards, keep CAP_NET_ADMIN: other threads that
     * already exist end with no capability.
     *
     * @throws IllegalStateException when not {@link #isAvailable()}
     */
    @Override
    public ProcessServices services() {
        if (!NativeSupport.isAvailable()) {
            throw new IllegalStateException(NAME + ": " + NativeSupport.unavailabilityCause());
        }
        return new LinuxProcessServices();
    }
}
