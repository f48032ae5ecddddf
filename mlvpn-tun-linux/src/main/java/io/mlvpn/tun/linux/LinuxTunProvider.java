package io.mlvpn.tun.linux;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.tun.linux.internal.NativeSupport;
import java.io.IOException;

/**
 * The {@code linux-tun} device provider: tun and tap interfaces through {@code /dev/net/tun}
 * ({@link LinuxTunDevice}). Priority 100, the platform's native provider. Stateless; safe for
 * concurrent use.
 */
public final class LinuxTunProvider implements DeviceProvider {
    /** The provider's name in configuration. */
    public static final String NAME = "linux-tun";

    /** For {@link java.util.ServiceLoader}. */
    public LinuxTunProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        return LinuxTun.isAvailable();
    }

    @Override
    public String unavailabilityCause() {
        return LinuxTun.unavailabilityCause();
    }

    @Override
    public boolean supports(DeviceType type) {
        return type == DeviceType.TUN || type == DeviceType.TAP;
    }

    /**
     * Opens a {@link LinuxTunDevice}. Tried even when the probe failed (a persistent device owned
     * by this user needs no capability), unless JNA itself is missing.
     */
    @Override
    public PacketDevice open(DeviceConfig config) throws IOException {
        if (!NativeSupport.isAvailable()) {
            throw new IOException(NAME + ": " + NativeSupport.unavailabilityCause());
        }
        return LinuxTunDevice.open(config);
    }
}
