package io.mlvpn.benchmarks;

import io.mlvpn.core.device.MemoryDevice;
import java.util.concurrent.TimeUnit;

/**
 * Drives packets through a tunnel pair from one thread: injects fixed-size packets into one
 * device and polls the other, keeping at most a window of packets in flight, so it runs at
 * whatever rate the tunnels carry without flooding their queues. Allocates nothing per packet.
 *
 * <p>A packet that has not come out after {@value #LOSS_MILLIS} ms of silence is presumed lost
 * (UDP may drop on loopback too) and no longer counted in flight.
 *
 * <p>Not safe for concurrent use: one thread injects and polls.
 */
public final class PacketPump {
    static final long LOSS_MILLIS = 50;

    private final MemoryDevice in;
    private final MemoryDevice out;
    private final int payloadBytes;
    private final int windowPackets;
    private final byte[] packet;
    private final byte[] received;
    private long sent;
    private long delivered;
    private long presumedLost;

    /**
     * @param in where packets are injected
     * @param out where they come out
     * @param payloadBytes size of every packet, at most {@code in}'s largest packet
     * @param windowPackets most packets in flight, 1 or more
     */
    public PacketPump(MemoryDevice in, MemoryDevice out, int payloadBytes, int windowPackets) {
        if (payloadBytes < 20 || payloadBytes > in.maxPacketBytes()) {
            throw new IllegalArgumentException("payloadBytes outside 20.." + in.maxPacketBytes() + ": " + payloadBytes);
        }
        if (windowPackets < 1) {
            throw new IllegalArgumentException("windowPackets < 1: " + windowPackets);
        }
        this.in = in;
        this.out = out;
        this.payloadBytes = payloadBytes;
        this.windowPackets = windowPackets;
        this.packet = new byte[payloadBytes];
        this.received = new byte[out.maxPacketBytes()];
        // An IPv4-looking header (version 4, header length 5, total length), in case a layer looks.
        packet[0] = 0x45;
        packet[2] = (byte) (payloadBytes >>> 8);
        packet[3] = (byte) payloadBytes;
        for (int i = 20; i < payloadBytes; i++) {
            packet[i] = (byte) i;
        }
    }

    /**
     * Injects one packet, first waiting (polling the far end) until fewer than the window are in
     * flight, then takes whatever has come out meanwhile.
     *
     * @return packets that came out during this call
     */
    public int sendOne() throws InterruptedException {
        int got = 0;
        long silentSince = 0;
        boolean silent = false;
        while (inFlight() >= windowPackets) {
            if (out.poll(received, 1, TimeUnit.MILLISECONDS) >= 0) {
                onDelivered(1);
                got++;
                silent = false;
            } else if (!silent) {
                silent = true;
                silentSince = System.nanoTime();
            } else if (System.nanoTime() - silentSince > LOSS_MILLIS * 1_000_000L) {
                presumedLost += inFlight();
            }
        }
        while (!in.inject(packet, 0, payloadBytes)) {
            // The client's device queue is full: its reader is behind. Let the others run.
            got += drainReady();
            Thread.onSpinWait();
        }
        sent++;
        return got + drainReady();
    }

    /** Takes every packet that has come out, without waiting; returns how many. */
    public int drainReady() {
        int got = 0;
        while (out.poll(received) >= 0) {
            got++;
        }
        onDelivered(got);
        return got;
    }

    /**
     * Waits until every packet sent came out or was presumed lost after {@value #LOSS_MILLIS} ms
     * of silence.
     */
    public void drainAll() throws InterruptedException {
        long silentSince = System.nanoTime();
        while (inFlight() > 0) {
            if (out.poll(received, 1, TimeUnit.MILLISECONDS) >= 0) {
                onDelivered(1);
                silentSince = System.nanoTime();
            } else if (System.nanoTime() - silentSince > LOSS_MILLIS * 1_000_000L) {
                presumedLost += inFlight();
            }
        }
    }

    /** Counts packets come out; one presumed lost that turns up after all is lost no more. */
    private void onDelivered(int packets) {
        delivered += packets;
        long excess = Math.min(-inFlight(), presumedLost);
        if (excess > 0) {
            presumedLost -= excess;
        }
    }

    private long inFlight() {
        return sent - delivered - presumedLost;
    }

    /** Packets injected. */
    public long sent() {
        return sent;
    }

    /** Packets that came out (including any that turned up after being presumed lost). */
    public long delivered() {
        return delivered;
    }

    /** Packets given up as lost and still missing. */
    public long presumedLost() {
        return presumedLost;
    }

    /** Bytes of every packet. */
    public int payloadBytes() {
        return payloadBytes;
    }
}
