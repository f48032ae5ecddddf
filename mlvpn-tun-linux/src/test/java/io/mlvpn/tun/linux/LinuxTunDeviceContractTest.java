package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.Ipv4UdpPackets;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.device.PacketDeviceContract;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The device contract for a real tun interface opened through {@link LinuxTunProvider} with
 * {@code configure(true)}, inside a network namespace this class creates and deletes (needs root,
 * iproute2 and {@code /dev/net/tun}; skipped with the reason otherwise).
 *
 * <p><b>Namespace.</b> A tun interface and a socket belong to the namespace of the thread that
 * creates them and stay there whichever thread uses them later. So {@link #openDevice()} alone
 * enters the namespace (setns on the calling thread, undone before it returns) to create the
 * device and the two helper sockets below; the contract's test threads then use them anywhere.
 *
 * <p><b>Feeding and observing the device.</b> The contract compares bytes exactly, so both
 * directions go through an {@code AF_PACKET} socket bound to the tun ({@link PacketSocket}),
 * which neither adds nor rewrites anything:
 * <ul>
 * <li>{@link #injectInbound}: the packet socket transmits the sample packet on the tun; the
 * kernel queues it for the device's reader unchanged. (Having the kernel route a UDP datagram
 * into the tun would also work, but the kernel chooses the IP identification, flags and TTL, so
 * the bytes read could not be the sample packet.)
 * <li>{@link #awaitOutbound}: what the device writes enters the kernel's receive path on the tun,
 * where the packet socket sees it byte for byte. The sample packet is a valid IPv4/UDP packet from
 * a peer in the tun's subnet to the tun's own address, and a UDP socket in the namespace listens
 * on its port; each packet returned is checked to have been delivered to that socket with its
 * payload intact, so a packet the kernel would discard (bad checksum, wrong length) fails the
 * test rather than merely having been seen.
 * </ul>
 * The namespace's default {@code disable_ipv6} is set before any device exists, so the kernel
 * sends no router solicitations or MLD reports into the tun: the device stays quiet and the
 * contract's {@link #isUnrelatedInbound(byte[])} keeps its default.
 */
@SuppressWarnings("try") // the namespace scope is held, never named
class LinuxTunDeviceContractTest extends PacketDeviceContract {
    private static final int SOURCE_PORT = 40000;
    private static final int LISTEN_PORT = 40001;
    /** Each device gets its own name and subnet, so no test meets a predecessor's leftovers. */
    private static final AtomicInteger DEVICES = new AtomicInteger();
    private static NetNs netns;

    private byte[] tunAddress;
    private byte[] peerAddress;
    private PacketSocket wire;
    private DatagramSocket listener;

    @BeforeAll
    static void createNamespace() throws Exception {
        String cause = TestSupport.netnsUnavailableCause();
        assumeTrue(cause == null, () -> "tun device contract skipped: " + cause);
        assumeTrue(LinuxTun.isAvailable(), () -> "tun device contract skipped: " + LinuxTun.unavailabilityCause());
        netns = NetNs.create();
        try (NetNs.Scope ns = netns.enter()) {
            // /proc/sys/net shows the namespace of the thread that opens it.
            Path defaultIpv6 = Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6");
            if (Files.exists(defaultIpv6)) {
                Files.writeString(defaultIpv6, "1", StandardCharsets.US_ASCII);
            }
        }
    }

    @AfterAll
    static void deleteNamespace() throws IOException {
        if (netns != null) {
            netns.close();
            netns = null;
        }
    }

    @Override
    protected PacketDevice openDevice() throws Exception {
        int n = DEVICES.incrementAndGet() % 250;
        tunAddress = new byte[] {10, 98, (byte) n, 1};
        peerAddress = new byte[] {10, 98, (byte) n, 2};
        DeviceConfig config = DeviceConfig.builder().name("mlvct" + n).type(DeviceType.TUN).mtu(1400)
                .configure(true).address("10.98." + n + ".1/24").build();
        try (NetNs.Scope ns = netns.enter()) {
            PacketDevice device = new LinuxTunProvider().open(config);
            boolean ready = false;
            try {
                wire = PacketSocket.open(device.name());
                listener = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(tunAddress), LISTEN_PORT));
                ready = true;
                return device;
            } finally {
                if (!ready) {
                    closeHelpers();
                    device.close();
                }
            }
        }
    }

    @AfterEach
    void closeHelpers() {
        if (listener != null) {
            listener.close();
        }
        if (wire != null) {
            wire.close();
        }
    }

    @Override
    protected void injectInbound(PacketDevice device, byte[] packet) throws IOException {
        wire.send(packet);
    }

    @Override
    protected byte[] awaitOutbound(PacketDevice device, long timeoutMillis) throws IOException {
        byte[] packet = wire.receiveIncoming(timeoutMillis);
        if (packet == null) {
            return null;
        }
        // The kernel handles a tun write in the writing thread, so the datagram is queued by now.
        listener.setSoTimeout((int) timeoutMillis);
        byte[] buffer = new byte[packet.length];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        try {
            listener.receive(datagram);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the kernel saw the packet written to " + device.name()
                    + " but delivered nothing to " + listener.getLocalSocketAddress(), e);
        }
        assertTrue(packet.length >= Ipv4UdpPackets.HEADERS_BYTES, "packet of " + packet.length + " bytes");
        assertArrayEquals(Arrays.copyOfRange(packet, Ipv4UdpPackets.HEADERS_BYTES, packet.length),
                Arrays.copyOf(buffer, datagram.getLength()), "payload the kernel delivered to the listener");
        return packet;
    }

    /** A valid IPv4/UDP packet from a peer in the tun's subnet to the listener on the tun's address. */
    @Override
    protected byte[] samplePacket(int length) {
        return Ipv4UdpPackets.build(length, peerAddress, SOURCE_PORT, tunAddress, LISTEN_PORT);
    }
}
