package io.mlvpn.core;

import io.mlvpn.api.Clock;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.api.transport.TransportProvider;
import io.mlvpn.core.device.DeviceProviders;
import io.mlvpn.core.link.LinkArray;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.TimerSide;
import io.mlvpn.core.scheduler.Schedulers;
import io.mlvpn.core.transport.TransportProviders;
import io.mlvpn.core.wire.Header;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds a {@link Tunnel} from a {@link TunnelConfig}: the public entry point of the engine.
 *
 * <pre>{@code
 * Tunnel t = TunnelBuilder.of(config).device(myDevice).build();
 * t.start();
 * }</pre>
 *
 * <p>Without {@link #device}, the tunnel opens its device at start through the best available
 * {@link DeviceProvider} found with {@link java.util.ServiceLoader} (or the one given with
 * {@link #deviceProvider}) and closes it at close. Transports come from the class path's
 * {@link TransportProvider}s unless {@link #transportProviders} is given. Not safe for concurrent
 * use; each {@link #build()} makes a new tunnel.
 */
public final class TunnelBuilder {
    /** Outer IPv4 + UDP header bytes. */
    static final int IPV4_UDP = 28;
    /** Outer IPv6 + UDP header bytes. */
    static final int IPV6_UDP = 48;
    /** Largest Ethernet header a TAP frame adds to the tunnel MTU. */
    static final int ETHERNET_HEADER = 14;

    private final TunnelConfig config;
    private PacketDevice device;
    private DeviceProvider deviceProvider;
    private List<TransportProvider> transportProviders;
    private Supplier<Scheduler> scheduler;
    private Clock clock = Clock.SYSTEM;
    private SecureRandom random;

    private TunnelBuilder(TunnelConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A builder for a tunnel running {@code config}. */
    public static TunnelBuilder of(TunnelConfig config) {
        return new TunnelBuilder(config);
    }

    /** Uses this already open device; the tunnel reads and writes it but never closes it. */
    public TunnelBuilder device(PacketDevice device) {
        this.device = Objects.requireNonNull(device, "device");
        return this;
    }

    /** Opens the device at start with this provider (and closes it at close). */
    public TunnelBuilder deviceProvider(DeviceProvider provider) {
        this.deviceProvider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /** Chooses each link's transport among these providers instead of the class path's. */
    public TunnelBuilder transportProviders(List<TransportProvider> providers) {
        this.transportProviders = List.copyOf(providers);
        return this;
    }

    /** The scheduler to use instead of the one the configuration names. Called once per tunnel. */
    public TunnelBuilder scheduler(Supplier<Scheduler> scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /** The time source; default the system clocks. */
    public TunnelBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The randomness for keys and session ids; default a new {@link SecureRandom}. */
    public TunnelBuilder random(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /**
     * The tunnel MTU for a configuration: {@code interface.mtu} when set, otherwise the smallest
     * link MTU minus IP, UDP and protocol overhead (IPv6 overhead when a link's address is an IPv6
     * literal), and on a tap device minus the Ethernet header its frames carry too, so that a
     * full-size frame still fits one datagram of the link.
     */
    public static int tunnelMtu(TunnelConfig config) {
        if (config.interfaceMtu().isPresent()) {
            return config.interfaceMtu().get();
        }
        int frameHeader = config.interfaceType() == DeviceType.TAP ? ETHERNET_HEADER : 0;
        int mtu = Integer.MAX_VALUE;
        for (LinkConfig l : config.links()) {
            boolean v6 = l.remoteHost().orElse("").contains(":") || l.bindHost().orElse("").contains(":");
            mtu = Math.min(mtu, l.mtu() - (v6 ? IPV6_UDP : IPV4_UDP) - Header.OVERHEAD - frameHeader);
        }
        return mtu;
    }

    /**
     * The device a configuration asks for: its name and type, the tunnel MTU, and the address and
     * peer to configure when {@code interface.address} is set. An embedder that opens the device
     * itself (to run hooks around it, say) opens this one and hands it to {@link #device}.
     */
    public static DeviceConfig deviceConfig(TunnelConfig config) {
        return DeviceConfig.builder()
                .name(config.interfaceName())
                .type(config.interfaceType())
                .mtu(tunnelMtu(config))
                .configure(config.interfaceAddress().isPresent())
                .address(config.interfaceAddress().orElse(null))
                .peer(config.interfacePeer().orElse(null))
                .build();
    }

    /**
     * Builds the tunnel (not started).
     *
     * @throws IOException when no device provider fits and no device was given
     */
    public Tunnel build() throws IOException {
        int mtu = tunnelMtu(config);
        int maxLinkMtu = 0;
        for (LinkConfig l : config.links()) {
            maxLinkMtu = Math.max(maxLinkMtu, l.mtu());
        }
        int bufferCapacity = TunnelContext.HEADROOM
                + Math.max(maxLinkMtu, mtu + ETHERNET_HEADER + Header.OVERHEAD) + Header.TAG_LENGTH;
        TimerSide[] links = new TimerSide[config.links().size()];
        for (int i = 0; i < links.length; i++) {
            LinkConfig l = config.links().get(i);
            links[i] = LinkRuntime.create(i, l, config.timeoutOf(l).toNanos(), clock);
        }
        int ring = 1024;
        int pool = ring + 64 + links.length * 48 + 256;
        TunnelContext ctx = new TunnelContext(config, LinkArray.of(links), clock, mtu, bufferCapacity, pool, ring);
        DeviceProvider dp = deviceProvider;
        if (device == null && dp == null) {
            dp = DeviceProviders.select(DeviceProviders.load(TunnelBuilder.class.getClassLoader()),
                    config.interfaceType(), null);
        }
        List<TransportProvider> tps = transportProviders != null ? transportProviders
                : TransportProviders.load(TunnelBuilder.class.getClassLoader());
        LinkOpener opener = new LinkOpener(tps, ctx.client);
        Scheduler s = scheduler != null ? scheduler.get()
                : Schedulers.create(config.scheduler(), config.redundantCopies());
        return new BondedTunnel(ctx, links, device, dp, s, opener, random != null ? random : new SecureRandom(),
                config.reorder() ? reorderPackets(config) : 0);
    }

    /**
     * The reorder buffer size: the configured one, or enough packets for about 100 ms at the sum of
     * the links' configured rates (full-size packets), between 512 and 8192; 2048 with no rates.
     */
    static int reorderPackets(TunnelConfig config) {
        if (config.reorderBufferPackets() > 0) {
            return config.reorderBufferPackets();
        }
        long bits = 0;
        for (LinkConfig l : config.links()) {
            bits += l.uploadBitsPerSecond();
        }
        if (bits == 0) {
            return 2048;
        }
        long packets = bits / 8 / 10 / 1400;
        return (int) Math.max(512, Math.min(8192, packets));
    }
}
