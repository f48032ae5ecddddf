package io.mlvpn.tun.bsd;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.tun.bsd.internal.DeviceOpener;
import io.mlvpn.tun.bsd.internal.IfconfigCommand;
import io.mlvpn.tun.bsd.internal.InterfaceControl;
import io.mlvpn.tun.bsd.internal.OsFamily;
import io.mlvpn.tun.bsd.internal.PacketIo;
import java.io.IOException;
import java.util.Objects;

/**
 * The {@code bsd-tun} device provider (priority 100): tun and tap on FreeBSD and OpenBSD, utun
 * (tun only) on macOS. On any other system it is unavailable and supports nothing, so provider
 * selection passes over it with its {@link #unavailabilityCause()}.
 *
 * <p>Opening sets the MTU always; when the configuration asks ({@link DeviceConfig#configure()})
 * it also assigns the address with ifconfig(8) and brings the interface up. Interface names: FreeBSD
 * renames the new interface to the configured name; OpenBSD keeps {@code tunN}/{@code tapN} (a
 * configured name of that form picks the unit); macOS keeps {@code utunN} (likewise). The name the
 * system gave is {@link PacketDevice#name()}. Stateless and safe for concurrent use.
 */
public final class BsdTunProvider implements DeviceProvider {
    /** The provider name used in configuration. */
    public static final String NAME = "bsd-tun";

    private final OsFamily os;
    private final boolean available;
    private final String cause;

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public BsdTunProvider() {
        this(OsFamily.current(), BsdTun.isAvailable(), BsdTun.unavailabilityCause());
    }

    BsdTunProvider(OsFamily os, boolean available, String cause) {
        this.os = Objects.requireNonNull(os, "os");
        this.available = available && os.isServed();
        this.cause = this.available ? "available" : Objects.requireNonNull(cause, "cause");
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
        return available;
    }

    @Override
    public String unavailabilityCause() {
        return cause;
    }

    @Override
    public boolean supports(DeviceType type) {
        switch (os) {
            case FREEBSD:
            case OPENBSD:
                return true;
            case MACOS:
                return type == DeviceType.TUN;
            default:
                return false;
        }
    }

    @Override
    public PacketDevice open(DeviceConfig config) throws IOException {
        if (!available) {
            throw new IOException(NAME + " unavailable: " + cause);
        }
        if (!supports(config.type())) {
            throw new IOException(NAME + " cannot open a " + config.type().configName() + " device on "
                    + os.displayName());
        }
        PacketIo io = DeviceOpener.forOs(os).open(config);
        try {
            InterfaceControl control = new InterfaceControl(os);
            control.setMtu(io.name(), config.mtu());
            if (config.configure()) {
                if (config.address().isPresent()) {
                    IfconfigCommand.run(IfconfigCommand.build(io.name(), config.type(), config.address().get(),
                            config.peer().orElse(null)));
                }
                control.bringUp(io.name());
            }
        } catch (IOException | RuntimeException e) {
            try {
                io.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new BsdTunDevice(io, config.type(), config.mtu());
    }

    @Override
    public String toString() {
        return NAME + (available ? " (available)" : " (unavailable: " + cause + ")");
    }
}
