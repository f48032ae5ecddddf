package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.core.crypto.Sealers;
import io.mlvpn.core.testing.TrafficCheck;
import io.mlvpn.core.testing.TunnelPair;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The packet path allocates nothing per packet in steady state beyond the JDK cipher's own: the
 * bytes allocated by every tunnel thread per packet are compared with a bare seal+open pair
 * measured in this JVM. Counts bytes, times nothing.
 */
class TunnelAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void steadyStateAllocatesNoMoreThanTheCipherItself() throws Exception {
        double cipherPerPacket = cipherReferenceBytesPerPair();
        try (TunnelPair pair = TunnelPair.start(2)) {
            pair.awaitAllUp(10_000);
            int mtu = pair.client.mtu();
            new TrafficCheck(pair.clientDevice, pair.serverDevice, 1000, 1400).run(0, 30_000, 64, 1_000, null);
            long before = tunnelThreadBytes();
            int packets = 50_000;
            TrafficCheck measured = new TrafficCheck(pair.clientDevice, pair.serverDevice, 1000, 1400);
            measured.run(30_000, packets, 64, 1_000, null);
            long after = tunnelThreadBytes();
            assertEquals(packets, measured.distinct());
            double perPacket = (after - before) / (double) packets;
            System.out.printf("tunnel threads: %.0f B/packet; bare AES-GCM seal+open: %.0f B/pair; mtu %d%n",
                    perPacket, cipherPerPacket, mtu);
            // Keepalives, rate windows and other per-second work spread over the packets stay far
            // below 10 % of the cipher's own allocation.
            assertTrue(perPacket <= cipherPerPacket * 1.1 + 64,
                    "tunnel allocates " + perPacket + " B/packet, the cipher alone " + cipherPerPacket);
        }
    }

    private static long tunnelThreadBytes() {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.startsWith("mlvpn-cli0-") || n.startsWith("mlvpn-srv0-")) {
                long b = THREADS.getThreadAllocatedBytes(t.getId());
                if (b > 0) {
                    total += b;
                }
            }
        }
        return total;
    }

    private static double cipherReferenceBytesPerPair() {
        byte[] key = new byte[32];
        PacketSealer seal = Sealers.create(CipherSuite.AES_256_GCM, key);
        PacketSealer open = Sealers.create(CipherSuite.AES_256_GCM, key);
        byte[] buf = new byte[1600];
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            seal.seal(1, i, buf, 0, 16, 1200);
            open.open(1, i, buf, 0, 16, 1216);
        }
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        for (int i = n; i < 2 * n; i++) {
            seal.seal(1, i, buf, 0, 16, 1200);
            open.open(1, i, buf, 0, 16, 1216);
        }
        return (THREADS.getThreadAllocatedBytes(id) - before) / (double) n;
    }
}
