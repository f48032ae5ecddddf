package io.mlvpn.api.device;

import java.util.Objects;
import java.util.Optional;

/**
 * How to open a packet device. Instances are immutable.
 *
 * <p>The address fields are applied only when {@link #configure()} is true; otherwise the device
 * is created and left for the status command to configure, as MLVPN does.
 */
public final class DeviceConfig {
    /** Smallest MTU accepted: IPv6's minimum link MTU. */
    public static final int MIN_MTU = 1280;
    /** Largest MTU accepted. */
    public static final int MAX_MTU = 65535;

    private final String name;
    private final DeviceType type;
    private final int mtu;
    private final boolean configure;
    private final String address;
    private final String peer;
    private final boolean offloads;

    private DeviceConfig(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.mtu = b.mtu;
        this.configure = b.configure;
        this.address = b.address;
        this.peer = b.peer;
        this.offloads = b.offloads;
    }

    /** A new builder with the defaults: name {@code mlvpn0}, TUN, MTU 1400, not configured, offloads on. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.type = type;
        b.mtu = mtu;
        b.configure = configure;
        b.address = address;
        b.peer = peer;
        b.offloads = offloads;
        return b;
    }

    /** Requested interface name; the system may give another (see {@link PacketDevice#name()}). */
    public String name() {
        return name;
    }

    /** TUN or TAP. */
    public DeviceType type() {
        return type;
    }

    /** MTU to set on the device, in bytes. */
    public int mtu() {
        return mtu;
    }

    /** Whether the provider sets the MTU and address and brings the interface up. */
    public boolean configure() {
        return configure;
    }

    /** Address in CIDR form ({@code 10.8.0.1/24}), applied when {@link #configure()} is true. */
    public Optional<String> address() {
        return Optional.ofNullable(address);
    }

    /** Point-to-point peer address, applied when {@link #configure()} is true. */
    public Optional<String> peer() {
        return Optional.ofNullable(peer);
    }

    /**
     * Whether the device may use the kernel's segmentation and checksum offloads (Linux tun or
     * tap: {@code IFF_VNET_HDR} with TSO) where the kernel accepts them. The engine sees packets of at
     * most the MTU either way, with transport checksums that may be partial when offloads are on
     * (tun only; see {@link PacketDevice#partialChecksums()}); a device without offloads ignores
     * this.
     */
    public boolean offloads() {
        return offloads;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeviceConfig)) {
            return false;
        }
        DeviceConfig d = (DeviceConfig) o;
        return mtu == d.mtu && configure == d.configure && offloads == d.offloads && name.equals(d.name) && type == d.type
                && Objects.equals(address, d.address) && Objects.equals(peer, d.peer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, mtu, configure, address, peer, offloads);
    }

    @Override
    public String toString() {
        return "DeviceConfig[name=" + name + ", type=" + type.configName() + ", mtu=" + mtu
                + ", configure=" + configure + ", address=" + address + ", peer=" + peer + ", offloads=" + offloads + "]";
    }

    /** Builds a {@link DeviceConfig}; each setter checks its argument. */
    public static final class Builder {
        private String name = "mlvpn0";
        private DeviceType type = DeviceType.TUN;
        private int mtu = 1400;
        private boolean configure;
        private String address;
        private String peer;
        private boolean offloads = true;

        private Builder() {
        }

        /** Interface name, 1 to 15 characters of {@code [A-Za-z0-9_.-]} (Linux's IFNAMSIZ - 1). */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("bad interface name: \"" + name + "\"");
            }
            this.name = name;
            return this;
        }

        /** TUN or TAP. */
        public Builder type(DeviceType type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /** MTU, {@value #MIN_MTU} to {@value #MAX_MTU} bytes. */
        public Builder mtu(int mtu) {
            if (mtu < MIN_MTU || mtu > MAX_MTU) {
                throw new IllegalArgumentException("mtu outside " + MIN_MTU + ".." + MAX_MTU + ": " + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        /** Whether the provider configures the interface itself. */
        public Builder configure(boolean configure) {
            this.configure = configure;
            return this;
        }

        /** Interface address in CIDR form, or {@code null} for none. */
        public Builder address(String cidr) {
            this.address = cidr;
            return this;
        }

        /** Point-to-point peer address, or {@code null} for none. */
        public Builder peer(String peer) {
            this.peer = peer;
            return this;
        }

        /**
         * Whether the device may use kernel offloads where available (default true); false keeps
         * a plain one-packet-per-call device.
         */
        public Builder offloads(boolean offloads) {
            this.offloads = offloads;
            return this;
        }

        /** The configuration. */
        public DeviceConfig build() {
            if (peer != null && address == null) {
                throw new IllegalStateException("a peer address needs an interface address");
            }
            return new DeviceConfig(this);
        }
    }
}
