package io.mlvpn.api.config;

import io.mlvpn.api.config.ConfigException.Reason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One link of a tunnel. Instances are immutable; build them with {@link #builder(String)} and
 * derive changed copies with {@link #toBuilder()}. {@link Builder#build()} checks each value and
 * names the offending key ({@code link.NAME.…}) in its {@link ConfigException}; which of bind and
 * remote are required depends on the mode and is checked by {@link TunnelConfig}.
 */
public final class LinkConfig {
    /** Default outer MTU of a link, bytes. */
    public static final int DEFAULT_MTU = 1500;
    /** Smallest outer MTU accepted, bytes. */
    public static final int MIN_MTU = 576;
    /**
     * Default receive and send buffer of a link's socket, bytes (4 MiB): about 30 ms at 1 Gbit/s,
     * enough to ride out a scheduling pause of the receiving thread on the links this is built for.
     */
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 << 20;
    /** Smallest socket buffer accepted, bytes (64 KiB). */
    public static final int MIN_SOCKET_BUFFER_BYTES = 64 << 10;
    /** Largest socket buffer accepted, bytes (256 MiB). */
    public static final int MAX_SOCKET_BUFFER_BYTES = 256 << 20;

    private final String name;
    private final String bindHost;
    private final int bindPort;
    private final String bindInterface;
    private final String remoteHost;
    private final int remotePort;
    private final int mtu;
    private final long uploadBitsPerSecond;
    private final Duration timeout;
    private final String transport;
    private final boolean fallbackOnly;
    private final int lossTolerancePercent;
    private final int latencyToleranceMillis;
    private final int socketBufferBytes;

    private LinkConfig(Builder b) {
        this.name = b.name;
        this.bindHost = b.bindHost;
        this.bindPort = b.bindPort;
        this.bindInterface = b.bindInterface;
        this.remoteHost = b.remoteHost;
        this.remotePort = b.remotePort;
        this.mtu = b.mtu;
        this.uploadBitsPerSecond = b.uploadBitsPerSecond;
        this.timeout = b.timeout;
        this.transport = b.transport;
        this.fallbackOnly = b.fallbackOnly;
        this.lossTolerancePercent = b.lossTolerancePercent;
        this.latencyToleranceMillis = b.latencyToleranceMillis;
        this.socketBufferBytes = b.socketBufferBytes;
    }

    /** A builder for the link called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.bindHost = bindHost;
        b.bindPort = bindPort;
        b.bindInterface = bindInterface;
        b.remoteHost = remoteHost;
        b.remotePort = remotePort;
        b.mtu = mtu;
        b.uploadBitsPerSecond = uploadBitsPerSecond;
        b.timeout = timeout;
        b.transport = transport;
        b.fallbackOnly = fallbackOnly;
        b.lossTolerancePercent = lossTolerancePercent;
        b.latencyToleranceMillis = latencyToleranceMillis;
        b.socketBufferBytes = socketBufferBytes;
        return b;
    }

    /** The prefix of this link's configuration keys: {@code link.NAME.}. */
    public String keyPrefix() {
        return "link." + name + ".";
    }

    /** Local name: {@code [A-Za-z0-9_-]}, 1 to 32 characters. Never sent on the wire. */
    public String name() {
        return name;
    }

    /** Local address to bind ({@code link.NAME.bind.host}); empty means the wildcard address. */
    public Optional<String> bindHost() {
        return Optional.ofNullable(bindHost);
    }

    /** Local port to bind ({@code link.NAME.bind.port}); 0 lets the system choose (clients only). */
    public int bindPort() {
        return bindPort;
    }

    /** Interface the socket is bound to ({@code link.NAME.bind.interface}), if any. */
    public Optional<String> bindInterface() {
        return Optional.ofNullable(bindInterface);
    }

    /** Server host name or address ({@code link.NAME.remote.host}); clients only. */
    public Optional<String> remoteHost() {
        return Optional.ofNullable(remoteHost);
    }

    /** Server port ({@code link.NAME.remote.port}); 0 when unset. */
    public int remotePort() {
        return remotePort;
    }

    /** Outer path MTU in bytes ({@code link.NAME.mtu}), default {@value #DEFAULT_MTU}. */
    public int mtu() {
        return mtu;
    }

    /**
     * This side's upload capacity on the link in bits per second ({@code link.NAME.bandwidth});
     * 0 when not configured.
     */
    public long uploadBitsPerSecond() {
        return uploadBitsPerSecond;
    }

    /** Silence after which the link is declared down ({@code link.NAME.timeout}); empty: the tunnel's. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Transport provider name ({@code link.NAME.transport}); empty: the best available. */
    public Optional<String> transport() {
        return Optional.ofNullable(transport);
    }

    /** Used only while no normal link is healthy ({@code link.NAME.fallback.only}). */
    public boolean fallbackOnly() {
        return fallbackOnly;
    }

    /** Loss above which the link is lossy, percent ({@code link.NAME.loss.tolerance}); empty: the tunnel's. */
    public java.util.OptionalInt lossTolerancePercent() {
        return lossTolerancePercent < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(lossTolerancePercent);
    }

    /**
     * Round-trip time above which the link has high latency, ms ({@code link.NAME.latency.tolerance});
     * empty: the tunnel's.
     */
    public java.util.OptionalInt latencyToleranceMillis() {
        return latencyToleranceMillis < 0 ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(latencyToleranceMillis);
    }

    /**
     * Receive and send buffer asked for this link's socket, bytes ({@code link.NAME.socket.buffer}),
     * default {@value #DEFAULT_SOCKET_BUFFER_BYTES}. Size it for the link's rate times the longest
     * pause the receiver may take. The kernel grants more than {@code net.core.rmem_max} /
     * {@code wmem_max} only to a transport that can force it (the Linux one, with
     * {@code CAP_NET_ADMIN}); otherwise it caps the request at those limits.
     */
    public int socketBufferBytes() {
        return socketBufferBytes;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LinkConfig)) {
            return false;
        }
        LinkConfig l = (LinkConfig) o;
        return bindPort == l.bindPort && remotePort == l.remotePort && mtu == l.mtu
                && uploadBitsPerSecond == l.uploadBitsPerSecond && name.equals(l.name)
                && Objects.equals(bindHost, l.bindHost) && Objects.equals(bindInterface, l.bindInterface)
                && Objects.equals(remoteHost, l.remoteHost) && Objects.equals(timeout, l.timeout)
                && Objects.equals(transport, l.transport) && fallbackOnly == l.fallbackOnly
                && lossTolerancePercent == l.lossTolerancePercent
                && latencyToleranceMillis == l.latencyToleranceMillis
                && socketBufferBytes == l.socketBufferBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, bindHost, bindPort, bindInterface, remoteHost, remotePort, mtu,
                uploadBitsPerSecond, timeout, transport, fallbackOnly, lossTolerancePercent, latencyToleranceMillis,
                socketBufferBytes);
    }

    @Override
    public String toString() {
        return "LinkConfig[name=" + name + ", bind=" + (bindHost == null ? "*" : bindHost) + ":" + bindPort
                + (bindInterface == null ? "" : "%" + bindInterface)
                + ", remote=" + (remoteHost == null ? "-" : remoteHost + ":" + remotePort)
                + ", mtu=" + mtu + ", upload=" + uploadBitsPerSecond + "bit/s"
                + ", socket.buffer=" + socketBufferBytes
                + (timeout == null ? "" : ", timeout=" + timeout.toMillis() + "ms")
                + (transport == null ? "" : ", transport=" + transport)
                + (fallbackOnly ? ", fallback-only" : "")
                + (lossTolerancePercent < 0 ? "" : ", loss.tolerance=" + lossTolerancePercent + "%")
                + (latencyToleranceMillis < 0 ? "" : ", latency.tolerance=" + latencyToleranceMillis + "ms") + "]";
    }

    /** Builds a {@link LinkConfig}; values are checked in {@link #build()}. */
    public static final class Builder {
        private final String name;
        private String bindHost;
        private int bindPort;
        private String bindInterface;
        private String remoteHost;
        private int remotePort;
        private int mtu = DEFAULT_MTU;
        private long uploadBitsPerSecond;
        private Duration timeout;
        private String transport;
        private boolean fallbackOnly;
        private int lossTolerancePercent = -1;
        private int latencyToleranceMillis = -1;
        private int socketBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Local address to bind, or {@code null} for the wildcard. */
        public Builder bindHost(String host) {
            this.bindHost = host;
            return this;
        }

        /** Local port, 0 to 65535. */
        public Builder bindPort(int port) {
            this.bindPort = port;
            return this;
        }

        /** Interface to bind to, or {@code null}. */
        public Builder bindInterface(String name) {
            this.bindInterface = name;
            return this;
        }

        /** Server host, or {@code null}. */
        public Builder remoteHost(String host) {
            this.remoteHost = host;
            return this;
        }

        /** Server port, 1 to 65535. */
        public Builder remotePort(int port) {
            this.remotePort = port;
            return this;
        }

        /** Outer MTU, {@value LinkConfig#MIN_MTU} to 65535 bytes. */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Upload capacity in bits per second; 0 for unset. */
        public Builder uploadBitsPerSecond(long bitsPerSecond) {
            this.uploadBitsPerSecond = bitsPerSecond;
            return this;
        }

        /** Link timeout, at least 1 s; {@code null} for the tunnel's. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Transport provider name, or {@code null} for the best available. */
        public Builder transport(String provider) {
            this.transport = provider;
            return this;
        }

        /** Use the link only while no normal link is healthy. */
        public Builder fallbackOnly(boolean fallbackOnly) {
            this.fallbackOnly = fallbackOnly;
            return this;
        }

        /** Loss tolerance in percent, 0 to 100; -1 for the tunnel's. */
        public Builder lossTolerancePercent(int percent) {
            this.lossTolerancePercent = percent;
            return this;
        }

        /** Latency tolerance in ms, 0 for off; -1 for the tunnel's. */
        public Builder latencyToleranceMillis(int millis) {
            this.latencyToleranceMillis = millis;
            return this;
        }

        /**
         * Socket receive and send buffer, {@value LinkConfig#MIN_SOCKET_BUFFER_BYTES} to
         * {@value LinkConfig#MAX_SOCKET_BUFFER_BYTES} bytes.
         */
        public Builder socketBufferBytes(int bytes) {
            this.socketBufferBytes = bytes;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws ConfigException naming the first bad key
         */
        public LinkConfig build() throws ConfigException {
            String p = "link." + name + ".";
            if (!name.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new ConfigException("link." + name, Reason.INVALID_VALUE,
                        "a link name is 1 to 32 letters, digits, '_' or '-'", name);
            }
            if (bindHost != null && bindHost.isBlank()) {
                throw new ConfigException(p + "bind.host", Reason.INVALID_VALUE, "empty host");
            }
            if (bindPort < 0 || bindPort > 65535) {
                throw new ConfigException(p + "bind.port", Reason.OUT_OF_RANGE, "port outside 0..65535",
                        Integer.toString(bindPort));
            }
            if (bindInterface != null && !bindInterface.matches("[A-Za-z0-9_.:@-]{1,15}")) {
                throw new ConfigException(p + "bind.interface", Reason.INVALID_VALUE,
                        "an interface name is 1 to 15 characters", bindInterface);
            }
            if (remoteHost != null && remoteHost.isBlank()) {
                throw new ConfigException(p + "remote.host", Reason.INVALID_VALUE, "empty host");
            }
            if (remotePort < 0 || remotePort > 65535) {
                throw new ConfigException(p + "remote.port", Reason.OUT_OF_RANGE, "port outside 1..65535",
                        Integer.toString(remotePort));
            }
            if (remoteHost != null && remotePort == 0) {
                throw new ConfigException(p + "remote.port", Reason.MISSING, "a remote host needs a port");
            }
            if (mtu < MIN_MTU || mtu > 65535) {
                throw new ConfigException(p + "mtu", Reason.OUT_OF_RANGE, "mtu outside " + MIN_MTU + "..65535",
                        Integer.toString(mtu));
            }
            if (uploadBitsPerSecond < 0) {
                throw new ConfigException(p + "bandwidth", Reason.OUT_OF_RANGE, "negative rate",
                        Long.toString(uploadBitsPerSecond));
            }
            if (timeout != null && (timeout.compareTo(Duration.ofSeconds(1)) < 0
                    || timeout.compareTo(Duration.ofHours(1)) > 0)) {
                throw new ConfigException(p + "timeout", Reason.OUT_OF_RANGE, "timeout outside 1 s..1 h",
                        timeout.toMillis() + "ms");
            }
            if (lossTolerancePercent < -1 || lossTolerancePercent > 100) {
                throw new ConfigException(p + "loss.tolerance", Reason.OUT_OF_RANGE, "percent outside 0..100",
                        Integer.toString(lossTolerancePercent));
            }
            if (latencyToleranceMillis < -1 || latencyToleranceMillis > 60_000) {
                throw new ConfigException(p + "latency.tolerance", Reason.OUT_OF_RANGE,
                        "milliseconds outside 0..60000 (0 = off)", Integer.toString(latencyToleranceMillis));
            }
            if (socketBufferBytes < MIN_SOCKET_BUFFER_BYTES || socketBufferBytes > MAX_SOCKET_BUFFER_BYTES) {
                throw new ConfigException(p + "socket.buffer", Reason.OUT_OF_RANGE, "bytes outside "
                        + MIN_SOCKET_BUFFER_BYTES + ".." + MAX_SOCKET_BUFFER_BYTES + " (64 KiB..256 MiB)",
                        Integer.toString(socketBufferBytes));
            }
            if (transport != null && transport.isBlank()) {
                throw new ConfigException(p + "transport", Reason.INVALID_VALUE, "empty provider name");
            }
            return new LinkConfig(this);
        }
    }
}
