package io.mlvpn.core;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Datagram transports joined in memory, found by bound address: what one sends to an address,
 * the transport bound there receives. A test may inject datagrams into a transport and wait until
 * its receiver has handled them ({@link Port#inject}, {@link Port#awaitHandled}): a receiver that
 * comes back for more has finished with everything it took before. Test utility.
 */
final class MemoryWire extends io.mlvpn.core.testing.AvailableTransportProvider {
    MemoryWire() {
        super("memory-wire", 0);
    }

    private final Map<InetSocketAddress, Port> ports = new ConcurrentHashMap<>();

    /** The transport bound to {@code address}, once a tunnel opened it; null before. */
    Port port(InetSocketAddress address) {
        return ports.get(address);
    }

    @Override
    public boolean supports(TransportConfig config) {
        return config.bindInterface().isEmpty();
    }

    @Override
    public DatagramTransport open(TransportConfig config) {
        Port p = new Port(config.bindAddress());
        ports.put(config.bindAddress(), p);
        return p;
    }

    /** One bound transport. Its queue and counters are guarded by its own lock. */
    final class Port implements DatagramTransport {
        private final InetSocketAddress local;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private final ArrayDeque<InetSocketAddress> sources = new ArrayDeque<>();
        private long offered;
        private long taken;
        private long handled;
        private boolean closed;

        Port(InetSocketAddress local) {
            this.local = local;
        }

        /** Queues a datagram from {@code source}; returns its ticket for {@link #awaitHandled}. */
        synchronized long inject(byte[] datagram, InetSocketAddress source) {
            queue.add(datagram);
            sources.add(source);
            notifyAll();
            return ++offered;
        }

        /**
         * Waits until the receiver has handled the datagram with this ticket.
         *
         * @return false when that took longer than {@code millis} (or the port closed first)
         */
        synchronized boolean awaitHandled(long ticket, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (handled < ticket) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0 || closed) {
                    return false;
                }
                wait(left);
            }
            return true;
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public synchronized int receive(PacketBatch batch) throws IOException {
            handled = taken;
            notifyAll();
            while (queue.isEmpty() && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("receive interrupted");
                }
            }
            if (closed) {
                return -1;
            }
            byte[] d = queue.poll();
            PacketBuffer b = batch.get(0);
            int n = Math.min(d.length, b.capacity() - b.offset());
            b.data().put(b.offset(), d, 0, n);
            b.length(n).address(sources.poll());
            taken++;
            return 1;
        }

        @Override
        public int send(PacketBatch batch) throws IOException {
            synchronized (this) {
                if (closed) {
                    throw new ClosedChannelException();
                }
            }
            int sent = 0;
            for (int i = 0; i < batch.size(); i++) {
                PacketBuffer b = batch.get(i);
                Port to = ports.get(b.address());
                if (to != null) {
                    byte[] d = new byte[b.length()];
                    b.data().get(b.offset(), d);
                    to.inject(d, local);
                }
                sent++;
            }
            return sent;
        }

        @Override
        public long sendErrors() {
            return 0;
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }
    }
}
