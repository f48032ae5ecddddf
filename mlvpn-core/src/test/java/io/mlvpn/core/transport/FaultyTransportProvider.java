package io.mlvpn.core.transport;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens real {@code datagram-channel} transports whose sends a test can make fail: every send
 * throws an {@link IOException}, or returns 0 without sending (the kernel refusing every datagram),
 * until the test restores them. Receives are never touched, so the link still hears its peer.
 */
public final class FaultyTransportProvider extends io.mlvpn.core.testing.AvailableTransportProvider {
    /** What {@link DatagramTransport#send} does. */
    public enum Fault {
        /** Sends as the real transport does. */
        NONE,
        /** Throws {@code IOException("injected send failure")}. */
        THROW,
        /** Sends nothing and returns 0. */
        ZERO,
        /**
         * The interface went down: sends do nothing and return 0 (as ENETUNREACH skips them) and
         * what arrives is lost.
         */
        DOWN
    }

    /** The provider's name, for {@code link.NAME.transport}. */
    public static final String NAME = "faulty";

    public FaultyTransportProvider() {
        super(NAME, -1);
    }

    private final DatagramChannelTransportProvider real = new DatagramChannelTransportProvider();
    private volatile Fault fault = Fault.NONE;
    private final AtomicLong failedSends = new AtomicLong();

    /** From now on every send of every transport opened here does {@code f}. */
    public void fault(Fault f) {
        fault = f;
    }

    /** Sends that failed (thrown or returned 0) since the provider was made. */
    public long failedSends() {
        return failedSends.get();
    }

    @Override
    public boolean supports(TransportConfig config) {
        return real.supports(config);
    }

    @Override
    public DatagramTransport open(TransportConfig config) throws IOException {
        return new Faulty(real.open(config));
    }

    /** The real transport, with sends that fail as {@link #fault} says. */
    private final class Faulty implements DatagramTransport {
        private final DatagramTransport inner;

        Faulty(DatagramTransport inner) {
            this.inner = inner;
        }

        @Override
        public InetSocketAddress localAddress() {
            return inner.localAddress();
        }

        @Override
        public int receive(PacketBatch batch) throws IOException {
            int n = inner.receive(batch);
            return fault == Fault.DOWN ? 0 : n;
        }

        @Override
        public int send(PacketBatch batch) throws IOException {
            switch (fault) {
                case THROW:
                    failedSends.incrementAndGet();
                    throw new IOException("injected send failure");
                case ZERO:
                case DOWN:
                    failedSends.incrementAndGet();
                    return 0;
                default:
                    return inner.send(batch);
            }
        }

        @Override
        public long sendErrors() {
            return inner.sendErrors();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
