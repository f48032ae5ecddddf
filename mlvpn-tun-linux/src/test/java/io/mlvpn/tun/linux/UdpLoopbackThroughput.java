package io.mlvpn.tun.linux;

import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.api.transport.TransportConfig;
import io.mlvpn.core.transport.DatagramChannelTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures one-way UDP throughput over IPv4 loopback: one thread sends 1400-byte datagrams as
 * fast as it can, one thread receives them; the figure is datagrams received per second (what the
 * receiver sustains; the rest is dropped by the kernel). Compares the portable
 * {@link DatagramChannelTransport} with {@link LinuxUdpTransport} at batches of 1, 8 and 32 (all
 * without offload), and at batch 32 with UDP GSO on the sender, GRO on the receiver, or both, in
 * alternating rounds so that a change in machine load hits every case alike, and prints each
 * round's ratios and the medians. It only prints; nothing here asserts a speed.
 *
 * <p>Run: {@code java -cp <test class path> io.mlvpn.tun.linux.UdpLoopbackThroughput [rounds]
 * [windowMillis]}. Besides the ratios to DatagramChannel it prints each offload case against
 * {@code linux-udp batch 32} without offload.
 */
public final class UdpLoopbackThroughput {
    static final int PAYLOAD_BYTES = 1400;
    static final int SOCKET_BUFFER_BYTES = 4 << 20;

    /** One transport implementation and the batch size both threads use with it. */
    enum Case {
        DATAGRAM_CHANNEL("DatagramChannel (batch 32)", 32, false, false),
        LINUX_UDP_1("linux-udp batch 1", 1, false, false),
        LINUX_UDP_8("linux-udp batch 8", 8, false, false),
        LINUX_UDP_32("linux-udp batch 32", 32, false, false),
        LINUX_UDP_32_GSO("linux-udp batch 32 GSO", 32, true, false),
        LINUX_UDP_32_GRO("linux-udp batch 32 GRO", 32, false, true),
        LINUX_UDP_32_GSO_GRO("linux-udp batch 32 GSO+GRO", 32, true, true);

        final String label;
        final int batch;
        /** UDP GSO on the sending transport. */
        final boolean segmentation;
        /** UDP GRO on the receiving transport. */
        final boolean coalescing;

        Case(String label, int batch, boolean segmentation, boolean coalescing) {
            this.label = label;
            this.batch = batch;
            this.segmentation = segmentation;
            this.coalescing = coalescing;
        }

        DatagramTransport open(boolean sending) throws IOException {
            TransportConfig config = TransportConfig.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .receiveBufferBytes(SOCKET_BUFFER_BYTES).sendBufferBytes(SOCKET_BUFFER_BYTES).build();
            return this == DATAGRAM_CHANNEL ? DatagramChannelTransport.open(config)
                    : LinuxUdpTransport.open(config, sending && segmentation, !sending && coalescing);
        }
    }

    /**
     * Datagrams per second sent and received during the measured window, and the CPU time each
     * thread spent per datagram received (user and system: on loopback the sender's system call
     * also delivers into the receiver's socket). CPU per datagram suffers less than the rate from
     * other work on a shared machine.
     */
    record Result(double sentPerSecond, double receivedPerSecond, long sendErrors, double senderCpuNanosPerPacket,
            double receiverCpuNanosPerPacket) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private UdpLoopbackThroughput() {
    }

    /** Warms up for {@code warmupMillis}, then measures over {@code windowMillis}. */
    static Result measure(Case c, long warmupMillis, long windowMillis) throws Exception {
        DatagramTransport receiver = c.open(false);
        DatagramTransport sender;
        try {
            sender = c.open(true);
        } catch (IOException e) {
            receiver.close();
            throw e;
        }
        {
            AtomicLong received = new AtomicLong();
            AtomicLong sent = new AtomicLong();
            Thread receiving = new Thread(() -> receiveLoop(receiver, c.batch, received), "throughput-receiver");
            Thread sending = new Thread(() -> sendLoop(sender, receiver.localAddress(), c.batch, sent), "throughput-sender");
            receiving.start();
            sending.start();
            try {
                // The measurement is a span of wall-clock time; there is nothing else to wait on.
                Thread.sleep(warmupMillis);
                long sent0 = sent.get();
                long received0 = received.get();
                long senderCpu0 = THREADS.getThreadCpuTime(sending.getId());
                long receiverCpu0 = THREADS.getThreadCpuTime(receiving.getId());
                long t0 = System.nanoTime();
                Thread.sleep(windowMillis);
                long sent1 = sent.get();
                long received1 = received.get();
                long senderCpu1 = THREADS.getThreadCpuTime(sending.getId());
                long receiverCpu1 = THREADS.getThreadCpuTime(receiving.getId());
                double seconds = (System.nanoTime() - t0) / 1e9;
                double packets = Math.max(1, received1 - received0);
                return new Result((sent1 - sent0) / seconds, (received1 - received0) / seconds, sender.sendErrors(),
                        (senderCpu1 - senderCpu0) / packets, (receiverCpu1 - receiverCpu0) / packets);
            } finally {
                sending.interrupt();
                sender.close();
                receiver.close();
                sending.join(TimeUnit.SECONDS.toMillis(5));
                receiving.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
    }

    private static void receiveLoop(DatagramTransport transport, int batchSize, AtomicLong received) {
        PacketBatch batch = new PacketBatch(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(new PacketBuffer(2048));
        }
        try {
            for (;;) {
                for (int i = 0; i < batchSize; i++) {
                    batch.get(i).span(64, 0);
                }
                int n = transport.receive(batch);
                if (n < 0) {
                    return;
                }
                received.lazySet(received.get() + n);
            }
        } catch (IOException e) {
            // Closed underneath (DatagramChannel throws rather than returning -1 when interrupted).
        }
    }

    private static void sendLoop(DatagramTransport transport, InetSocketAddress to, int batchSize, AtomicLong sent) {
        PacketBatch batch = new PacketBatch(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(new PacketBuffer(2048).span(64, PAYLOAD_BYTES).address(to));
        }
        try {
            while (!Thread.currentThread().isInterrupted()) {
                sent.lazySet(sent.get() + transport.send(batch));
            }
        } catch (IOException e) {
            // Closed underneath: the measurement is over.
        }
    }

    /** Runs {@code rounds} rounds of every case and prints packets/s and ratios to DatagramChannel. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long windowMillis = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        Case[] cases = Case.values();
        double[][] received = new double[cases.length][rounds];
        double[][] cpu = new double[cases.length][rounds];
        System.out.printf(Locale.ROOT, "UDP loopback, %d-byte datagrams, one sender and one receiver thread, "
                + "%d-byte socket buffers, %d ms windows; %s %s, %d CPUs%n", PAYLOAD_BYTES, SOCKET_BUFFER_BYTES,
                windowMillis, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
            for (int c = 0; c < cases.length; c++) {
                Result result = measure(cases[c], 500, windowMillis);
                received[c][r] = result.receivedPerSecond();
                cpu[c][r] = result.senderCpuNanosPerPacket() + result.receiverCpuNanosPerPacket();
                line.append(String.format(Locale.ROOT,
                        "%n  %-28s %4.0f k/s received (%4.0f k/s sent, %d send errors), CPU ns/packet sender %.0f"
                        + " receiver %.0f", cases[c].label, result.receivedPerSecond() / 1e3,
                        result.sentPerSecond() / 1e3, result.sendErrors(), result.senderCpuNanosPerPacket(),
                        result.receiverCpuNanosPerPacket()));
            }
            for (int c = 1; c < cases.length; c++) {
                line.append(String.format(Locale.ROOT, "%n  %s / DatagramChannel: rate %.2fx, CPU per packet %.2fx",
                        cases[c].label, received[c][r] / received[0][r], cpu[c][r] / cpu[0][r]));
            }
            System.out.println(line);
        }
        int plain = Case.LINUX_UDP_32.ordinal();
        for (int c = plain + 1; c < cases.length; c++) {
            double[] rate = new double[rounds];
            double[] cpuRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                rate[r] = received[c][r] / received[plain][r];
                cpuRatio[r] = cpu[c][r] / cpu[plain][r];
            }
            System.out.printf(Locale.ROOT, "median of per-round ratios %-28s / linux-udp batch 32: rate %.2fx, "
                    + "CPU per packet %.2fx%n", cases[c].label, median(rate), median(cpuRatio));
        }
        double reference = median(received[0]);
        double referenceCpu = median(cpu[0]);
        for (int c = 0; c < cases.length; c++) {
            double m = median(received[c]);
            double mc = median(cpu[c]);
            System.out.printf(Locale.ROOT, "median %-28s %7.0f packets/s received (%.2fx DatagramChannel), "
                    + "%5.0f CPU ns per packet, both threads (%.2fx DatagramChannel)%n",
                    cases[c].label, m, m / reference, mc, mc / referenceCpu);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
