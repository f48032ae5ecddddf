package io.mlvpn.api.config;

import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.device.DeviceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a tunnel needs to run. Instances are immutable; build them with {@link #builder()} and
 * derive changed copies (a reload) with {@link #toBuilder()}. {@link Builder#build()} checks every
 * value and throws a {@link ConfigException} naming the first offending key. {@code toString()}
 * never shows the secret.
 */
public final class TunnelConfig {
    /** Default link timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default keepalive interval on every link. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(1);
    /** Default (and longest) session lifetime before a new handshake replaces its keys. */
    public static final Duration DEFAULT_REKEY_INTERVAL = Duration.ofSeconds(120);

    /** Schedulers the engine knows by name ({@code scheduler}). */
    public static final List<String> SCHEDULERS = List.of("adaptive", "wrr", "earliest-arrival", "redundant");
    /** Default loss tolerance, percent. */
    public static final int DEFAULT_LOSS_TOLERANCE_PERCENT = 20;

    private final Mode mode;
    private final PreSharedKey secret;
    private final CipherSuite cipher;
    private final String interfaceName;
    private final DeviceType interfaceType;
    private final int interfaceMtu;
    private final String interfaceAddress;
    private final String interfacePeer;
    private final Duration timeout;
    private final Duration keepaliveInterval;
    private final Duration rekeyInterval;
    private final List<LinkConfig> links;
    private final String scheduler;
    private final int redundantCopies;
    private final boolean reorder;
    private final int reorderBufferPackets;
    private final int lossTolerancePercent;
    private final int latencyToleranceMillis;

    private TunnelConfig(Builder b) {
        this.mode = b.mode;
        this.secret = b.secret;
        this.cipher = b.cipher;
        this.interfaceName = b.interfaceName;
        this.interfaceType = b.interfaceType;
        this.interfaceMtu = b.interfaceMtu;
        this.interfaceAddress = b.interfaceAddress;
        this.interfacePeer = b.interfacePeer;
        this.timeout = b.timeout;
        this.keepaliveInterval = b.keepaliveInterval;
        this.rekeyInterval = b.rekeyInterval;
        this.links = List.copyOf(b.links);
        this.scheduler = b.scheduler;
        this.redundantCopies = b.redundantCopies;
        this.reorder = b.reorder;
        this.reorderBufferPackets = b.reorderBufferPackets;
        this.lossTolerancePercent = b.lossTolerancePercent;
        this.latencyToleranceMillis = b.latencyToleranceMillis;
    }

    /** A builder with every default set; mode, secret and at least one link are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode;
        b.secret = secret;
        b.cipher = cipher;
        b.interfaceName = interfaceName;
        b.interfaceType = interfaceType;
        b.interfaceMtu = interfaceMtu;
        b.interfaceAddress = interfaceAddress;
        b.interfacePeer = interfacePeer;
        b.timeout = timeout;
        b.keepaliveInterval = keepaliveInterval;
        b.rekeyInterval = rekeyInterval;
        b.links.addAll(links);
        b.scheduler = scheduler;
        b.redundantCopies = redundantCopies;
        b.reorder = reorder;
        b.reorderBufferPackets = reorderBufferPackets;
        b.lossTolerancePercent = lossTolerancePercent;
        b.latencyToleranceMillis = latencyToleranceMillis;
        return b;
    }

    /** Client or server ({@code mode}). */
    public Mode mode() {
        return mode;
    }

    /** The pre-shared secret ({@code key.file} or {@code password}). */
    public PreSharedKey secret() {
        return secret;
    }

    /** The packet AEAD ({@code cipher}), default AES-256-GCM. */
    public CipherSuite cipher() {
        return cipher;
    }

    /** Requested device name ({@code interface.name}), default {@code mlvpn0}. */
    public String interfaceName() {
        return interfaceName;
    }

    /** TUN or TAP ({@code interface.type}), default TUN. */
    public DeviceType interfaceType() {
        return interfaceType;
    }

    /**
     * Tunnel MTU in bytes ({@code interface.mtu}); empty means derived from the smallest link MTU
     * minus the protocol's overhead.
     */
    public Optional<Integer> interfaceMtu() {
        return interfaceMtu == 0 ? Optional.empty() : Optional.of(interfaceMtu);
    }

    /** Interface address in CIDR form ({@code interface.address}); set means "configure the device". */
    public Optional<String> interfaceAddress() {
        return Optional.ofNullable(interfaceAddress);
    }

    /** Point-to-point peer address ({@code interface.peer}). */
    public Optional<String> interfacePeer() {
        return Optional.ofNullable(interfacePeer);
    }

    /** Default link timeout ({@code timeout}), 10 s unless set. */
    public Duration timeout() {
        return timeout;
    }

    /** The timeout of one link: its own, or the tunnel's. */
    public Duration timeoutOf(LinkConfig link) {
        return link.timeout().orElse(timeout);
    }

    /** Keepalive interval on every link ({@code keepalive.interval}), 1 s unless set. */
    public Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    /** Session lifetime before rekeying ({@code rekey.interval}), 120 s unless set. */
    public Duration rekeyInterval() {
        return rekeyInterval;
    }

    /** The links, in configuration order; at least one. */
    public List<LinkConfig> links() {
        return links;
    }

    /** The scheduler's name ({@code scheduler}), one of {@link #SCHEDULERS}; default {@code adaptive}. */
    public String scheduler() {
        return scheduler;
    }

    /** Links each packet is sent on by the {@code redundant} scheduler ({@code redundant.copies}), default 2. */
    public int redundantCopies() {
        return redundantCopies;
    }

    /** Whether received data is put back in order ({@code reorder}), default true. */
    public boolean reorder() {
        return reorder;
    }

    /** Reorder buffer size in packets ({@code reorder.buffer.size}); 0 sizes it from the link rates. */
    public int reorderBufferPackets() {
        return reorderBufferPackets;
    }

    /** Loss above which a link is lossy, percent ({@code loss.tolerance}), default 20. */
    public int lossTolerancePercent() {
        return lossTolerancePercent;
    }

    /** Round-trip time above which a link has high latency, ms ({@code latency.tolerance}); 0 = off (default). */
    public int latencyToleranceMillis() {
        return latencyToleranceMillis;
    }

    /** The loss tolerance of one link: its own, or the tunnel's. */
    public int lossToleranceOf(LinkConfig link) {
        return link.lossTolerancePercent().orElse(lossTolerancePercent);
    }

    /** The latency tolerance of one link in ms (0 = off): its own, or the tunnel's. */
    public int latencyToleranceOf(LinkConfig link) {
        return link.latencyToleranceMillis().orElse(latencyToleranceMillis);
    }

    /** The link with that name. */
    public Optional<LinkConfig> link(String name) {
        for (LinkConfig l : links) {
            if (l.name().equals(name)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TunnelConfig)) {
            return false;
        }
        TunnelConfig t = (TunnelConfig) o;
        return interfaceMtu == t.interfaceMtu && mode == t.mode && secret.sameAs(t.secret) && cipher == t.cipher
                && interfaceName.equals(t.interfaceName) && interfaceType == t.interfaceType
                && Objects.equals(interfaceAddress, t.interfaceAddress)
                && Objects.equals(interfacePeer, t.interfacePeer) && timeout.equals(t.timeout)
                && keepaliveInterval.equals(t.keepaliveInterval) && rekeyInterval.equals(t.rekeyInterval)
                && links.equals(t.links) && scheduler.equals(t.scheduler) && redundantCopies == t.redundantCopies
                && reorder == t.reorder && reorderBufferPackets == t.reorderBufferPackets
                && lossTolerancePercent == t.lossTolerancePercent
                && latencyToleranceMillis == t.latencyToleranceMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, cipher, interfaceName, interfaceType, interfaceMtu, links);
    }

    @Override
    public String toString() {
        return "TunnelConfig[mode=" + mode.name().toLowerCase(java.util.Locale.ROOT) + ", secret=redacted, cipher="
                + cipher.configName() + ", interface=" + interfaceName + "/" + interfaceType.configName()
                + ", mtu=" + (interfaceMtu == 0 ? "derived" : interfaceMtu) + ", timeout=" + timeout.toMillis()
                + "ms, keepalive=" + keepaliveInterval.toMillis() + "ms, rekey=" + rekeyInterval.toSeconds()
                + "s, scheduler=" + scheduler + (scheduler.equals("redundant") ? "x" + redundantCopies : "")
                + ", reorder=" + (reorder ? (reorderBufferPackets == 0 ? "auto" : reorderBufferPackets) : "off")
                + ", loss.tolerance=" + lossTolerancePercent + "%, latency.tolerance="
                + (latencyToleranceMillis == 0 ? "off" : latencyToleranceMillis + "ms") + ", links=" + links + "]";
    }

    /** Builds a {@link TunnelConfig}; values are checked in {@link #build()}. */
    public static final class Builder {
        private Mode mode;
        private PreSharedKey secret;
        private CipherSuite cipher = CipherSuite.AES_256_GCM;
        private String interfaceName = "mlvpn0";
        private DeviceType interfaceType = DeviceType.TUN;
        private int interfaceMtu;
        private String interfaceAddress;
        private String interfacePeer;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private Duration rekeyInterval = DEFAULT_REKEY_INTERVAL;
        private final List<LinkConfig> links = new ArrayList<>();
        private String scheduler = "adaptive";
        private int redundantCopies = 2;
        private boolean reorder = true;
        private int reorderBufferPackets;
        private int lossTolerancePercent = DEFAULT_LOSS_TOLERANCE_PERCENT;
        private int latencyToleranceMillis;

        private Builder() {
        }

        /** The scheduler, by name. */
        public Builder scheduler(String name) {
            this.scheduler = Objects.requireNonNull(name, "scheduler");
            return this;
        }

        /** Copies per packet for the redundant scheduler, 2 or more. */
        public Builder redundantCopies(int copies) {
            this.redundantCopies = copies;
            return this;
        }

        /** Whether to reorder received data. */
        public Builder reorder(boolean reorder) {
            this.reorder = reorder;
            return this;
        }

        /** Reorder buffer size in packets, 0 for automatic. */
        public Builder reorderBufferPackets(int packets) {
            this.reorderBufferPackets = packets;
            return this;
        }

        /** Loss tolerance in percent, 0 to 100. */
        public Builder lossTolerancePercent(int percent) {
            this.lossTolerancePercent = percent;
            return this;
        }

        /** Latency tolerance in ms, 0 for off. */
        public Builder latencyToleranceMillis(int millis) {
            this.latencyToleranceMillis = millis;
            return this;
        }

        /** Client or server. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The pre-shared secret. */
        public Builder secret(PreSharedKey secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** The packet AEAD. */
        public Builder cipher(CipherSuite cipher) {
            this.cipher = Objects.requireNonNull(cipher, "cipher");
            return this;
        }

        /** Device name. */
        public Builder interfaceName(String name) {
            this.interfaceName = Objects.requireNonNull(name, "interfaceName");
            return this;
        }

        /** TUN or TAP. */
        public Builder interfaceType(DeviceType type) {
            this.interfaceType = Objects.requireNonNull(type, "interfaceType");
            return this;
        }

        /** Tunnel MTU in bytes, or 0 to derive it from the links. */
        public Builder interfaceMtu(int mtu) {
            this.interfaceMtu = mtu;
            return this;
        }

        /** Interface address in CIDR form, or {@code null}. */
        public Builder interfaceAddress(String cidr) {
            this.interfaceAddress = cidr;
            return this;
        }

        /** Point-to-point peer, or {@code null}. */
        public Builder interfacePeer(String peer) {
            this.interfacePeer = peer;
            return this;
        }

        /** Default link timeout. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Keepalive interval. */
        public Builder keepaliveInterval(Duration interval) {
            this.keepaliveInterval = Objects.requireNonNull(interval, "keepaliveInterval");
            return this;
        }

        /** Session lifetime before rekeying. */
        public Builder rekeyInterval(Duration interval) {
            this.rekeyInterval = Objects.requireNonNull(interval, "rekeyInterval");
            return this;
        }

        /** Appends a link. */
        public Builder addLink(LinkConfig link) {
            links.add(Objects.requireNonNull(link, "link"));
            return this;
        }

        /** Replaces every link. */
        public Builder links(List<LinkConfig> links) {
            this.links.clear();
            for (LinkConfig l : links) {
                addLink(l);
            }
            return this;
        }

        /**
         * The configuration.
         *
         * @throws ConfigException naming the first bad key
         */
        public TunnelConfig build() throws ConfigException {
            if (mode == null) {
                throw new ConfigException("mode", Reason.MISSING, "mode is required (client or server)");
            }
            if (secret == null) {
                throw new ConfigException("key.file", Reason.MISSING, "a key file or a password is required");
            }
            if (!interfaceName.matches("[A-Za-z0-9_.-]{1,15}")) {
                throw new ConfigException("interface.name", Reason.INVALID_VALUE,
                        "an interface name is 1 to 15 letters, digits, '_', '.' or '-'", interfaceName);
            }
            if (interfaceMtu != 0 && (interfaceMtu < 576 || interfaceMtu > 65535)) {
                throw new ConfigException("interface.mtu", Reason.OUT_OF_RANGE, "mtu outside 576..65535",
                        Integer.toString(interfaceMtu));
            }
            if (interfaceAddress != null && !interfaceAddress.matches("[0-9A-Fa-f:.]+/\\d{1,3}")) {
                throw new ConfigException("interface.address", Reason.INVALID_VALUE,
                        "an address in CIDR form such as 10.8.0.1/24", interfaceAddress);
            }
            if (interfacePeer != null && interfaceAddress == null) {
                throw new ConfigException("interface.peer", Reason.CONFLICT, "a peer needs interface.address");
            }
            if (interfacePeer != null && !interfacePeer.matches("[0-9A-Fa-f:.]+")) {
                throw new ConfigException("interface.peer", Reason.INVALID_VALUE, "not an IP address", interfacePeer);
            }
            checkDuration("timeout", timeout, Duration.ofSeconds(1), Duration.ofHours(1));
            checkDuration("keepalive.interval", keepaliveInterval, Duration.ofMillis(50), Duration.ofMinutes(1));
            checkDuration("rekey.interval", rekeyInterval, Duration.ofSeconds(5), DEFAULT_REKEY_INTERVAL);
            if (keepaliveInterval.compareTo(timeout) >= 0) {
                throw new ConfigException("keepalive.interval", Reason.CONFLICT,
                        "keepalive interval must be shorter than the timeout", keepaliveInterval.toMillis() + "ms");
            }
            if (!SCHEDULERS.contains(scheduler)) {
                throw new ConfigException("scheduler", Reason.INVALID_VALUE, "one of " + SCHEDULERS, scheduler);
            }
            if (redundantCopies < 2 || redundantCopies > 8) {
                throw new ConfigException("redundant.copies", Reason.OUT_OF_RANGE, "copies outside 2..8",
                        Integer.toString(redundantCopies));
            }
            if (reorderBufferPackets != 0 && (reorderBufferPackets < 16 || reorderBufferPackets > 65536)) {
                throw new ConfigException("reorder.buffer.size", Reason.OUT_OF_RANGE,
                        "packets outside 16..65536 (0 = automatic)", Integer.toString(reorderBufferPackets));
            }
            if (lossTolerancePercent < 0 || lossTolerancePercent > 100) {
                throw new ConfigException("loss.tolerance", Reason.OUT_OF_RANGE, "percent outside 0..100",
                        Integer.toString(lossTolerancePercent));
            }
            if (latencyToleranceMillis < 0 || latencyToleranceMillis > 60_000) {
                throw new ConfigException("latency.tolerance", Reason.OUT_OF_RANGE,
                        "milliseconds outside 0..60000 (0 = off)", Integer.toString(latencyToleranceMillis));
            }
            if (links.isEmpty()) {
                throw new ConfigException("link", Reason.MISSING, "at least one link is required");
            }
            if (links.size() > 250) {
                throw new ConfigException("link", Reason.OUT_OF_RANGE, "at most 250 links",
                        Integer.toString(links.size()));
            }
            Set<String> names = new HashSet<>();
            for (LinkConfig l : links) {
                if (!names.add(l.name())) {
                    throw new ConfigException("link." + l.name(), Reason.CONFLICT, "link name used twice");
                }
                if (mode == Mode.CLIENT) {
                    if (l.remoteHost().isEmpty()) {
                        throw new ConfigException(l.keyPrefix() + "remote.host", Reason.MISSING,
                                "a client link needs the server's address");
                    }
                } else if (l.bindPort() == 0) {
                    throw new ConfigException(l.keyPrefix() + "bind.port", Reason.MISSING,
                            "a server link needs a port to listen on");
                }
                if (keepaliveInterval.compareTo(timeoutOf(l)) >= 0) {
                    throw new ConfigException(l.keyPrefix() + "timeout", Reason.CONFLICT,
                            "timeout must be longer than the keepalive interval", timeoutOf(l).toMillis() + "ms");
                }
            }
            return new TunnelConfig(this);
        }

        private Duration timeoutOf(LinkConfig l) {
            return l.timeout().orElse(timeout);
        }

        private static void checkDuration(String key, Duration d, Duration min, Duration max) throws ConfigException {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new ConfigException(key, Reason.OUT_OF_RANGE,
                        "outside " + min.toMillis() + "..." + max.toMillis() + " ms", d.toMillis() + "ms");
            }
        }
    }
}
