package io.mlvpn.core.testing;

import io.mlvpn.core.device.MemoryDevice;
import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes numbered packets of mixed sizes into one end's device and checks what comes out of the
 * other end's: every packet intact, none twice. Paces itself by keeping at most {@code window}
 * packets in flight, so it runs at whatever rate the links carry. Test utility.
 */
public final class TrafficCheck {
    private final MemoryDevice in;
    private final MemoryDevice out;
    private final int minSize;
    private final int maxSize;
    private final BitSet seen = new BitSet();
    private final AtomicLong received = new AtomicLong();
    private long corrupt;
    private long duplicates;
    private long outOfOrder;
    private long lastId = -1;

    public TrafficCheck(MemoryDevice in, MemoryDevice out, int minSize, int maxSize) {
        this.in = in;
        this.out = out;
        this.minSize = minSize;
        this.maxSize = maxSize;
    }

    /** Packet {@code id}: the id in the first 8 bytes, then bytes derived from it. */
    static int fill(byte[] p, long id, int size) {
        for (int i = 0; i < 8; i++) {
            p[i] = (byte) (id >>> (56 - 8 * i));
        }
        for (int i = 8; i < size; i++) {
            p[i] = (byte) (id * 31 + i);
        }
        return size;
    }

    private boolean verify(byte[] p, int len) {
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = id << 8 | (p[i] & 0xFF);
        }
        for (int i = 8; i < len; i++) {
            if (p[i] != (byte) (id * 31 + i)) {
                corrupt++;
                return false;
            }
        }
        if (id < 0 || id > Integer.MAX_VALUE) {
            corrupt++;
            return false;
        }
        if (id < lastId) {
            outOfOrder++;
        }
        lastId = Math.max(lastId, id);
        if (seen.get((int) id)) {
            duplicates++;
        } else {
            seen.set((int) id);
        }
        return true;
    }

    /**
     * Sends packets {@code first .. first+count-1}, receiving concurrently on the calling thread's
     * partner; returns when all were sent and the receiver saw nothing for {@code quietMillis}.
     *
     * @param window most packets injected and not yet received
     * @param onProgress called every 1000 sent packets with the count so far (may be null)
     */
    public void run(long first, int count, int window, long quietMillis, java.util.function.LongConsumer onProgress)
            throws InterruptedException {
        Thread receiver = new Thread(() -> receive(quietMillis), "traffic-receiver");
        receiver.start();
        Random r = new Random(first);
        byte[] p = new byte[maxSize];
        long sent = 0;
        long presumedLost = 0;
        for (long id = first; id < first + count; id++) {
            int size = minSize + r.nextInt(maxSize - minSize + 1);
            fill(p, id, size);
            long waitStart = System.nanoTime();
            while (sent - received.get() - presumedLost >= window) {
                if (System.nanoTime() - waitStart > 50_000_000L) {
                    // Nothing came back for 50 ms: what is still in flight was lost (a cut link).
                    presumedLost = sent - received.get();
                    break;
                }
                // Park briefly rather than spin: the tunnel's own threads need the (two) cores.
                java.util.concurrent.locks.LockSupport.parkNanos(20_000L);
            }
            long injectStart = System.nanoTime();
            while (!in.inject(p, 0, size)) {
                if (System.nanoTime() - injectStart > 20_000_000_000L) {
                    receiver.interrupt();
                    throw new AssertionError("the tunnel stopped reading its device: packet " + id
                            + " not taken for 20 s");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000L);
            }
            sent++;
            if (onProgress != null && sent % 1000 == 0) {
                onProgress.accept(sent);
            }
        }
        receiver.join();
    }

    private void receive(long quietMillis) {
        byte[] p = new byte[65536];
        while (true) {
            int n;
            try {
                n = out.poll(p, quietMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (n < 0) {
                return;
            }
            verify(p, n);
            received.incrementAndGet();
        }
    }

    /** Distinct packets received intact. */
    public int distinct() {
        return seen.cardinality();
    }

    /** Packets received (duplicates included). */
    public long received() {
        return received.get();
    }

    /** Packets whose bytes were not what was sent. */
    public long corrupt() {
        return corrupt;
    }

    /** Packets that arrived after a packet sent later than them. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Packets received more than once. */
    public long duplicates() {
        return duplicates;
    }

    /** True when every id in {@code [first, first+count)} was received. */
    public boolean complete(long first, int count) {
        return seen.nextClearBit((int) first) >= first + count;
    }
}
