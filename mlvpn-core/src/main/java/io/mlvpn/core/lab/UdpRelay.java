package io.mlvpn.core.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process UDP forwarder standing in for one uplink between a client link and a server link
 * on loopback: it can cut the path (silently drop both directions, like a dead upstream) and move
 * its server-facing socket to a new port (a NAT rebinding). Used by tests and the demo; safe for concurrent use.
 */
public final class UdpRelay implements AutoCloseable {
    private final DatagramChannel clientSide;
    private volatile DatagramChannel serverSide;
    private final InetSocketAddress server;
    private volatile SocketAddress client;
    private volatile boolean cut;
    private volatile boolean closed;
    private final AtomicLong forwarded = new AtomicLong();
    private final byte[] lastUp = new byte[65536];
    private int lastUpLength = -1;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread up;
    private volatile Thread down;

    /** Starts a relay in front of {@code server}. */
    public UdpRelay(InetSocketAddress server) throws IOException {
        this.server = server;
        this.clientSide = openChannel();
        this.serverSide = openServerSide();
        this.up = new Thread(this::clientToServer, "relay-up-" + port());
        up.setDaemon(true);
        up.start();
        this.down = startDown(serverSide);
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
            return lastUpLength < 0 ? null : java.util.Arrays.copyOf(lastUp, lastUpLength);
        }
    }

    /** Drops everything in both directions from now on (true) or forwards again (false). */
    public void cut(boolean cut) {
        this.cut = cut;
    }

    /** Datagrams forwarded in either direction. */
    public long forwarded() {
        return forwarded.get();
    }

    /** Datagrams dropped while cut. */
    public long dropped() {
        return dropped.get();
    }

    /** Moves the server-facing socket to a new local port, as a NAT that lost its mapping does. */
    public void rebind() throws IOException {
        DatagramChannel old = serverSide;
        DatagramChannel fresh = openServerSide();
        serverSide = fresh;
        down = startDown(fresh);
        old.close();
    }

    private static DatagramChannel openServerSide() throws IOException {
        return openChannel();
    }

    private static DatagramChannel openChannel() throws IOException {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        // Large buffers, as the tunnel asks for: a relay must not be the bottleneck that drops.
        c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        c.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
        c.bind(new InetSocketAddress("127.0.0.1", 0));
        return c;
    }

    private Thread startDown(DatagramChannel channel) {
        Thread t = new Thread(() -> serverToClient(channel), "relay-down");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void clientToServer() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = clientSide.receive(buf);
                client = from;
                buf.flip();
                if (cut) {
                    dropped.incrementAndGet();
                    continue;
                }
                synchronized (lastUp) {
                    lastUpLength = buf.remaining();
                    buf.get(buf.position(), lastUp, 0, lastUpLength);
                }
                serverSide.send(buf, server);
                forwarded.incrementAndGet();
            } catch (ClosedChannelException e) {
                if (closed) {
                    return;
                }
            } catch (IOException e) {
                // A send racing a rebind: the datagram is lost, like on a real path.
            }
        }
    }

    private void serverToClient(DatagramChannel channel) {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        while (!closed && channel.isOpen()) {
            try {
                buf.clear();
                channel.receive(buf);
                buf.flip();
                SocketAddress to = client;
                if (cut || to == null) {
                    dropped.incrementAndGet();
                    continue;
                }
                clientSide.send(buf, to);
                forwarded.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        clientSide.close();
        serverSide.close();
    }
}
