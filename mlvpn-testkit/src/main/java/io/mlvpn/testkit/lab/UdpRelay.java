package io.mlvpn.testkit.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process UDP impairment relay standing in for one uplink between a client link and a
 * server link on loopback. Per direction it can limit the rate behind a bounded queue, add delay
 * and jitter, lose datagrams at random (see {@link Impairment}), and cut the path (drop
 * everything silently, like a dead upstream); it can also move its server-facing socket to a new
 * port (a NAT rebinding). Used by tests and the demo, where the kernel offers no netem.
 *
 * <p>Impairments and cuts are set at any time from any thread and apply to every datagram that
 * arrives afterwards; datagrams already held keep the release time they were given. Random
 * decisions come from a {@link java.util.Random} per direction seeded from the relay's seed, so
 * a run with the same seed and the same arrivals makes the same decisions.
 *
 * <p><b>Threads.</b> Four daemon threads named after the client-facing port: per direction one
 * that receives and one that releases held datagrams when due (about a millisecond of precision,
 * parked while nothing is due). Unimpaired traffic is sent by the receive thread directly.
 * Safe for concurrent use.
 */
public final class UdpRelay implements AutoCloseable {
    /** The seed the one-argument constructor uses, so that runs repeat. */
    public static final long DEFAULT_SEED = 0x5EEDL;

    private static final int MAX_DATAGRAM_BYTES = 65536;
    private static final long JOIN_MILLIS = 2_000;

    private final DatagramChannel clientSide;
    private volatile DatagramChannel serverSide;
    private final InetSocketAddress server;
    private volatile SocketAddress client;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] lastUp = new byte[MAX_DATAGRAM_BYTES];
    private int lastUpLength = -1;
    private final RelayPath up;
    private final RelayPath down;
    private final Thread upReceiver;
    private final Thread downReceiver;

    /** Starts a relay in front of {@code server} with the {@link #DEFAULT_SEED}. */
    public UdpRelay(InetSocketAddress server) throws IOException {
        this(server, DEFAULT_SEED);
    }

    /**
     * Starts a relay in front of {@code server}; client-to-server decisions draw from
     * {@code new Random(seed)}, server-to-client ones from {@code new Random(seed + 1)}.
     */
    public UdpRelay(InetSocketAddress server, long seed) throws IOException {
        this.server = Objects.requireNonNull(server, "server");
        this.clientSide = openChannel();
        try {
            this.serverSide = openChannel();
        } catch (IOException e) {
            clientSide.close();
            throw e;
        }
        String name = "relay-" + port();
        this.up = new RelayPath(name + "-up-release", seed, new ToServer());
        this.down = new RelayPath(name + "-down-release", seed + 1, new ToClient());
        this.upReceiver = start(name + "-up-receive", this::clientToServer);
        this.downReceiver = start(name + "-down-receive", this::serverToClient);
    }

    /** The address a client link sends to. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) clientSide.getLocalAddress();
    }

    /** The port a client link sends to. */
    public int port() throws IOException {
        return address().getPort();
    }

    /** A copy of the last datagram forwarded from the client to the server, or null when none. */
    public byte[] lastFromClient() {
        synchronized (lastUp) {
            return lastUpLength < 0 ? null : Arrays.copyOf(lastUp, lastUpLength);
        }
    }

    /** Applies {@code both} to both directions from now on. */
    public void impair(Impairment both) {
        impair(both, both);
    }

    /** Applies {@code clientToServer} and {@code serverToClient} from now on. */
    public void impair(Impairment clientToServer, Impairment serverToClient) {
        Objects.requireNonNull(clientToServer, "clientToServer");
        Objects.requireNonNull(serverToClient, "serverToClient");
        up.impair(clientToServer);
        down.impair(serverToClient);
    }

    /** The impairment now applied to {@code direction}. */
    public Impairment impairment(Direction direction) {
        return path(direction).impairment();
    }

    /** Drops everything in both directions from now on (true) or forwards again (false). */
    public void cut(boolean cut) {
        up.cut(cut);
        down.cut(cut);
    }

    /** Drops everything in {@code direction} from now on (true) or forwards again (false). */
    public void cut(Direction direction, boolean cut) {
        path(direction).cut(cut);
    }

    /** True when {@code direction} is cut. */
    public boolean isCut(Direction direction) {
        return path(direction).isCut();
    }

    /** The counters of {@code direction}. */
    public RelayCounters counters(Direction direction) {
        return path(direction).counters();
    }

    /** Datagrams forwarded in either direction. */
    public long forwarded() {
        return up.forwarded() + down.forwarded();
    }

    /** Datagrams dropped while cut, in either direction. */
    public long dropped() {
        return up.droppedByCut() + down.droppedByCut();
    }

    /**
     * Moves the server-facing socket to a new local port, as a NAT that lost its mapping does.
     *
     * @throws ClosedChannelException when the relay is closed
     */
    public synchronized void rebind() throws IOException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
        DatagramChannel old = serverSide;
        DatagramChannel fresh = openChannel();
        serverSide = fresh;
        // The receive thread, woken by the close, goes on with the new channel.
        old.close();
        if (closed.get()) {
            // close() ran meanwhile and may have closed the old channel only.
            fresh.close();
        }
    }

    private RelayPath path(Direction direction) {
        return direction == Direction.CLIENT_TO_SERVER ? up : down;
    }

    private static DatagramChannel openChannel() throws IOException {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            // Large buffers, as the tunnel asks for: a relay must not be the bottleneck that drops.
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            c.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void clientToServer() {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES);
        while (!closed.get()) {
            try {
                buf.clear();
                SocketAddress from = clientSide.receive(buf);
                long arrivalNanos = System.nanoTime();
                if (!from.equals(client)) {
                    client = from;
                }
                buf.flip();
                up.accept(buf, arrivalNanos);
            } catch (ClosedChannelException e) {
                if (closed.get() || !clientSide.isOpen()) {
                    return;
                }
            } catch (IOException e) {
                // A receive error on a datagram socket concerns one datagram; go on.
            }
        }
    }

    private void serverToClient() {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES);
        while (!closed.get()) {
            DatagramChannel channel = serverSide;
            try {
                buf.clear();
                channel.receive(buf);
                long arrivalNanos = System.nanoTime();
                buf.flip();
                down.accept(buf, arrivalNanos);
            } catch (ClosedChannelException e) {
                if (closed.get() || channel == serverSide) {
                    return;
                }
                // Closed by a rebind: go on with the new channel.
            } catch (IOException e) {
                // A receive error on a datagram socket concerns one datagram; go on.
            }
        }
    }

    /** Sends client-to-server datagrams from the current server-facing socket. */
    private final class ToServer implements DatagramSink {
        @Override
        public boolean send(ByteBuffer datagram) throws IOException {
            synchronized (lastUp) {
                lastUpLength = datagram.remaining();
                datagram.get(datagram.position(), lastUp, 0, lastUpLength);
            }
            serverSide.send(datagram, server);
            return true;
        }
    }

    /** Sends server-to-client datagrams to the client's last source address. */
    private final class ToClient implements DatagramSink {
        @Override
        public boolean send(ByteBuffer datagram) throws IOException {
            SocketAddress to = client;
            if (to == null) {
                return false;
            }
            clientSide.send(datagram, to);
            return true;
        }
    }

    /** Closes both sockets and stops the threads; idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            clientSide.close();
        } finally {
            serverSide.close();
        }
        try {
            upReceiver.join(JOIN_MILLIS);
            downReceiver.join(JOIN_MILLIS);
            up.stop(JOIN_MILLIS);
            down.stop(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
