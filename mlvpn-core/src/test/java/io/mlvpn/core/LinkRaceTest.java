package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An attacker on link 0's path who wins every race for a while from the tunnel's start: each of
 * link 0's sealed datagrams reaches the server's link-1 port, from the attacker's address, before
 * the genuine one reaches link 0's port. Before any binding exists that can bind the wrong way;
 * once the attack stops, the bindings heal by themselves and the attacker keeps nothing.
 */
class LinkRaceTest {

    /**
     * Relays link 0 between the client and the server's port 0; while racing, first sends a copy
     * of every sealed (non-handshake) datagram from its own "attacker" socket to the server's port 1.
     */
    private static final class RacingPath implements AutoCloseable {
        final DatagramChannel clientSide = DatagramChannel.open();
        final DatagramChannel serverSide = DatagramChannel.open();
        final DatagramChannel attacker = DatagramChannel.open();
        final InetSocketAddress port0;
        final InetSocketAddress port1;
        volatile boolean racing = true;
        volatile SocketAddress client;
        final AtomicLong copies = new AtomicLong();
        final Thread up;
        final Thread down;

        RacingPath(InetSocketAddress port0, InetSocketAddress port1) throws IOException {
            this.port0 = port0;
            this.port1 = port1;
            clientSide.bind(new InetSocketAddress("127.0.0.1", 0));
            serverSide.bind(new InetSocketAddress("127.0.0.1", 0));
            attacker.bind(new InetSocketAddress("127.0.0.1", 0));
            up = new Thread(this::up, "racing-up");
            down = new Thread(this::down, "racing-down");
            up.start();
            down.start();
        }

        int port() throws IOException {
            return ((InetSocketAddress) clientSide.getLocalAddress()).getPort();
        }

        String attackerAddress() throws IOException {
            return attacker.getLocalAddress().toString().substring(1);
        }

        private void up() {
            ByteBuffer b = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    b.clear();
                    client = clientSide.receive(b);
                    b.flip();
                    int type = b.get(0) & 0x0F;
                    if (racing && type >= 4) {
                        attacker.send(b.duplicate(), port1);
                        copies.incrementAndGet();
                        // Let the copy be received first.
                        Thread.sleep(20);
                    }
                    serverSide.send(b, port0);
                }
            } catch (IOException | InterruptedException e) {
                // Closed: the test is over.
            }
        }

        private void down() {
            ByteBuffer b = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    b.clear();
                    serverSide.receive(b);
                    b.flip();
                    SocketAddress c = client;
                    if (c != null) {
                        clientSide.send(b, c);
                    }
                }
            } catch (IOException e) {
                // Closed: the test is over.
            }
        }

        @Override
        public void close() throws IOException {
            clientSide.close();
            serverSide.close();
            attacker.close();
            try {
                up.join(2_000);
                down.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void bindingsARacingCopierWonHealOnceTheAttackStops() throws Exception {
        int p0 = TunnelPair.freePort();
        int p1 = TunnelPair.freePort();
        TunnelConfig sc = TunnelPair.base(Mode.SERVER, TunnelPair.key(7)).interfaceName("srv0")
                .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").bindPort(p0).build())
                .addLink(LinkConfig.builder("l1").bindHost("127.0.0.1").bindPort(p1).build()).build();
        MemoryDevice sd = new MemoryDevice("srv0", DeviceType.TUN, 1600, 4096);
        MemoryDevice cd = new MemoryDevice("cli0", DeviceType.TUN, 1600, 4096);
        try (RacingPath path = new RacingPath(new InetSocketAddress("127.0.0.1", p0),
                new InetSocketAddress("127.0.0.1", p1))) {
            TunnelConfig cc = TunnelPair.base(Mode.CLIENT, TunnelPair.key(7)).interfaceName("cli0")
                    .addLink(LinkConfig.builder("l0").bindHost("127.0.0.1").remoteHost("127.0.0.1")
                            .remotePort(path.port()).build())
                    .addLink(LinkConfig.builder("l1").bindHost("127.0.0.1").remoteHost("127.0.0.1")
                            .remotePort(p1).build()).build();
            Tunnel server = TunnelBuilder.of(sc).device(sd).build();
            Tunnel client = TunnelBuilder.of(cc).device(cd).build();
            try {
                server.start();
                client.start();
                // While it wins every race, link 0 is the attacker's to stall: only its healing is asked for.
                await(() -> path.copies.get() >= 3, 20_000, "the attacker raced link 0's datagrams");
                path.racing = false;
                // A link that never came up is probed with back-off: its next probe (at most 8 s away
                // here) finds the wrongly bound owner silent and heals the binding.
                // Connected is what healing means: while the binding was wrong, link 0's datagrams were
                // counted on the server's link 1, so its first reports after the heal show that as
                // loss and the client may hold link 0 LOSSY for a while (it carries data again as it
                // recovers, and it is a last resort meanwhile).
                await(() -> allConnected(client) && allConnected(server), 30_000, "every link connected");
                String attacker = path.attackerAddress();
                // The client's own traffic on each link puts each server link's peer right.
                TrafficCheck up = new TrafficCheck(cd, sd, 20, client.mtu());
                up.run(0, 300, 32, 2_000, null);
                TrafficCheck down = new TrafficCheck(sd, cd, 20, client.mtu());
                down.run(0, 300, 32, 2_000, null);
                // Most of it, whatever a starved test machine loses: a hijacked link would lose half.
                assertTrue(up.distinct() >= 285 && down.distinct() >= 285, up.distinct() + " up, " + down.distinct() + " down");
                for (var l : server.stats().links()) {
                    assertTrue(!String.valueOf(l.peer()).contains(attacker),
                            "server link " + l.name() + " sends to the attacker");
                }
                long rx0 = server.stats().links().get(0).rxPackets();
                long rx1 = server.stats().links().get(1).rxPackets();
                await(() -> server.stats().links().get(0).rxPackets() > rx0 + 5
                        && server.stats().links().get(1).rxPackets() > rx1 + 5, 5_000, "both links receive");
            } finally {
                client.close();
                server.close();
                sd.close();
                cd.close();
            }
        }
    }

    private static boolean allConnected(Tunnel t) {
        return t.links().stream().allMatch(l -> l.state().connected());
    }
}
