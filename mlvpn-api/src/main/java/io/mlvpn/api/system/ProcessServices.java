package io.mlvpn.api.system;

import java.io.IOException;

/**
 * Process-level operations the JDK cannot do, provided by an OS module.
 * Safe for concurrent use; meant to be called once at start-up.
 */
public interface ProcessServices {

    /**
     * Switches the whole process (every thread) from root to {@code user} and that user's groups,
     * keeping {@code CAP_NET_ADMIN} in the permitted and effective sets so the tunnel can still
     * manage its device.
     *
     * @param user an existing account name
     * @throws IOException naming the failing call, or when the user does not exist
     */
    void dropPrivileges(String user) throws IOException;

    /** The effective user id of the process. */
    int effectiveUserId();
}
