package io.mlvpn.launcher;

import io.mlvpn.api.system.ProcessServices;
import io.mlvpn.api.system.ProcessServicesProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;

/**
 * Drops root for the configured {@code user} after the start, keeping {@code CAP_NET_ADMIN},
 * through the first available {@link ProcessServicesProvider} (the Linux module's {@code linux}).
 * Must run on the launcher's main thread: the capability stays with the calling thread and the
 * threads it starts later; threads that existed before keep no capability.
 */
final class PrivilegeDrop {
    private PrivilegeDrop() {
    }

    /**
     * Drops to {@code user} when the process runs as root; otherwise logs that it keeps its user.
     *
     * @return true when the privileges were dropped
     * @throws IOException when no provider is available (each tried, with why) or the drop failed;
     *     after a failed drop the process may be partly changed and should stop
     */
    static boolean to(String user, ClassLoader loader, Logger log) throws IOException {
        ProcessServices services = null;
        List<String> tried = new ArrayList<>();
        for (ProcessServicesProvider p : ServiceLoader.load(ProcessServicesProvider.class, loader)) {
            if (p.isAvailable()) {
                services = p.services();
                break;
            }
            tried.add(p.name() + ": " + p.unavailabilityCause());
        }
        if (services == null) {
            throw new IOException("user = " + user + ": no process services to change user with"
                    + (tried.isEmpty() ? " (none on the class path)" : ": " + String.join("; ", tried)));
        }
        int euid = services.effectiveUserId();
        if (euid != 0) {
            log.warn("user = {}: not started as root (uid {}); keeping the current user", user, euid);
            return false;
        }
        services.dropPrivileges(user);
        log.info("now running as user {} (uid {}) with CAP_NET_ADMIN only", user, services.effectiveUserId());
        return true;
    }
}
