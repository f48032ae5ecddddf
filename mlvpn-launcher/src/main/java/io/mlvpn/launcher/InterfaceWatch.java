package io.mlvpn.launcher;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.function.BooleanSupplier;

/**
 * Tells when the network interface behind the tunnel's device has been deleted under it (for
 * example {@code ip link del mlvpn0}). The engine's device fd then fails every read and write
 * ({@code EBADFD}) and cannot be reopened by the engine, so the launcher stops instead of running
 * on half alive.
 *
 * <p>The interface is followed by its index, taken when the watch is made: a rename keeps the
 * device working and is not a loss, and an interface created again under the same name is not the
 * one the engine holds open.
 */
final class InterfaceWatch {
    private InterfaceWatch() {
    }

    /**
     * A check that is true once the interface {@code name} (as it is now) no longer exists; always
     * false when {@code name} is not a system interface (an in-memory device) or the system cannot
     * tell.
     */
    static BooleanSupplier gone(String name) {
        int index;
        try {
            NetworkInterface now = NetworkInterface.getByName(name);
            if (now == null) {
                return () -> false;
            }
            index = now.getIndex();
        } catch (SocketException e) {
            return () -> false;
        }
        return () -> {
            try {
                return NetworkInterface.getByIndex(index) == null;
            } catch (SocketException e) {
                // Cannot tell this time: not a reason to stop a tunnel.
                return false;
            }
        };
    }
}
