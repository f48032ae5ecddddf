package io.mlvpn.api.device;

/** What a packet device carries. */
public enum DeviceType {
    /** Layer 3: each packet is an IPv4 or IPv6 packet. */
    TUN,
    /** Layer 2: each packet is an Ethernet frame. */
    TAP;

    /** Lower-case name as used in configuration files ({@code tun}, {@code tap}). */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
