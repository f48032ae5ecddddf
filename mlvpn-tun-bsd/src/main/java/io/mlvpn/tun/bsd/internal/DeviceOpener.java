package io.mlvpn.tun.bsd.internal;

import io.mlvpn.api.device.DeviceConfig;
import java.io.IOException;

/** Opens the packet descriptor of one system's tun/tap device. Stateless. */
public interface DeviceOpener {

    /**
     * Opens the device named (or chosen) by the configuration; the interface name the system gave
     * is {@link PacketIo#name()}. MTU, flags and addresses are set afterwards.
     *
     * @throws IOException naming the failing call and errno; no descriptor is left open
     */
    PacketIo open(DeviceConfig config) throws IOException;

    /** The opener of the given system. */
    static DeviceOpener forOs(OsFamily os) {
        switch (os) {
            case FREEBSD:
                return new FreeBsdOpener();
            case OPENBSD:
                return new OpenBsdOpener();
            case MACOS:
                return new MacOsUtunOpener();
            default:
                throw new IllegalArgumentException("no BSD tun device on " + os.displayName());
        }
    }
}
