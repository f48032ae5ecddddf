package io.mlvpn.api.transport;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open one link's UDP socket. Instances are immutable.
 */
public final class TransportConfig {
    private final InetSocketAddress bindAddress;
    private final String bindInterface;
    private final int receiveBufferBytes;
    private final int sendBufferBytes;

    private TransportConfig(Builder b) {
        this.bindAddress = b.bindAddress;
        this.bindInterface = b.bindInterface;
        this.receiveBufferBytes = b.receiveBufferBytes;
        this.sendBufferBytes = b.sendBufferBytes;
    }

    /** A builder; the bind address is required. */
    public static Builder builder(InetSocketAddress bindAddress) {
        return new Builder(bindAddress);
    }

    /** Local address and port to bind (port 0: the system picks; wildcard address: any). */
    public InetSocketAddress bindAddress() {
        return bindAddress;
    }

    /** Network interface to bind the socket to ({@code SO_BINDTODEVICE}), if any. */
    public Optional<String> bindInterface() {
        return Optional.ofNullable(bindInterface);
    }

    /** Requested receive buffer in bytes; 0 keeps the system default. */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** Requested send buffer in bytes; 0 keeps the system default. */
    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransportConfig)) {
            return false;
        }
        TransportConfig t = (TransportConfig) o;
        return receiveBufferBytes == t.receiveBufferBytes && sendBufferBytes == t.sendBufferBytes
                && bindAddress.equals(t.bindAddress) && Objects.equals(bindInterface, t.bindInterface);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bindAddress, bindInterface, receiveBufferBytes, sendBufferBytes);
    }

    @Override
    public String toString() {
        return "TransportConfig[bind=" + bindAddress + ", interface=" + bindInterface
                + ", rcvbuf=" + receiveBufferBytes + ", sndbuf=" + sendBufferBytes + "]";
    }

    /** Builds a {@link TransportConfig}. */
    public static final class Builder {
        private final InetSocketAddress bindAddress;
        private String bindInterface;
        private int receiveBufferBytes;
        private int sendBufferBytes;

        private Builder(InetSocketAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        }

        /** Interface to bind to, or {@code null} for none. */
        public Builder bindInterface(String name) {
            if (name != null && (name.isEmpty() || name.length() > 15)) {
                throw new IllegalArgumentException("bad interface name: \"" + name + "\"");
            }
            this.bindInterface = name;
            return this;
        }

        /** Receive buffer in bytes, 0 for the system default. */
        public Builder receiveBufferBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("receive buffer < 0: " + bytes);
            }
            this.receiveBufferBytes = bytes;
            return this;
        }

        /** Send buffer in bytes, 0 for the system default. */
        public Builder sendBufferBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("send buffer < 0: " + bytes);
            }
            this.sendBufferBytes = bytes;
            return this;
        }

        /** The configuration. */
        public TransportConfig build() {
            return new TransportConfig(this);
        }
    }
}
