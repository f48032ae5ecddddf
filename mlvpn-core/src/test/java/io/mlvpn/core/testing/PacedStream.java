package io.mlvpn.core.testing;

import io.mlvpn.core.device.MemoryDevice;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of numbered packets, one every {@code intervalNanos}, from one end's device to
 * the other's, like the e2e lab's UDP sequence stream: it keeps its schedule whatever the tunnel
 * does, so a packet lost in an outage stays lost, and it remembers when each one was injected so
 * a test can ask what was lost after a given moment. Test utility.
 */
public final class PacedStream implements AutoCloseable {
    private static final int MAX_PACKETS = 1 << 20;

    private final MemoryDevice in;
    private final MemoryDevice out;
    private final int size;
    private final long intervalNanos;
    private final long[] sentAtNanos = new long[MAX_PACKETS];
    private final BitSet received = new BitSet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile int sent;
    private final Thread sender;
    private final Thread receiver;

    /** Starts sending {@code size}-byte packets (at least 8) every {@code intervalNanos} from {@code in} to {@code out}. */
    public PacedStream(MemoryDevice in, MemoryDevice out, int size, long intervalNanos) {
        this.in = in;
        this.out = out;
        this.size = Math.max(8, size);
        this.intervalNanos = intervalNanos;
        this.sender = new Thread(this::send, "paced-sender");
        this.receiver = new Thread(this::receive, "paced-receiver");
        receiver.start();
        sender.start();
    }

    private void send() {
        byte[] p = new byte[size];
        long next = System.nanoTime();
        int id = 0;
        while (running.get() && id < MAX_PACKETS) {
            for (int i = 0; i < 4; i++) {
                p[i] = (byte) (id >>> (24 - 8 * i));
            }
            sentAtNanos[id] = System.nanoTime();
            // A full device queue counts as a loss: the stream does not wait, as UDP does not.
            in.inject(p, 0, size);
            sent = ++id;
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (-wait > 50 * intervalNanos) {
                next = System.nanoTime(); // starved: move the schedule on rather than burst
            }
        }
    }

    private void receive() {
        byte[] p = new byte[65536];
        while (true) {
            int n;
            try {
                n = out.poll(p, 100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (n < 0) {
                if (!running.get()) {
                    return;
                }
                continue;
            }
            if (n >= 4) {
                int id = (p[0] & 0xFF) << 24 | (p[1] & 0xFF) << 16 | (p[2] & 0xFF) << 8 | (p[3] & 0xFF);
                if (id >= 0 && id < MAX_PACKETS) {
                    synchronized (received) {
                        received.set(id);
                    }
                }
            }
        }
    }

    /** Stops sending, waits {@code drainMillis} for what is on its way, then stops receiving. */
    public void stop(long drainMillis) throws InterruptedException {
        running.set(false);
        sender.join();
        Thread.sleep(drainMillis);
        receiver.interrupt();
        receiver.join();
    }

    /** Packets injected so far. */
    public int sent() {
        return sent;
    }

    /** Packets injected at or after {@code fromNanos} (System.nanoTime) and before {@code toNanos}. */
    public int sentBetween(long fromNanos, long toNanos) {
        int n = 0;
        for (int id = 0, end = sent; id < end; id++) {
            if (sentAtNanos[id] - fromNanos >= 0 && sentAtNanos[id] - toNanos < 0) {
                n++;
            }
        }
        return n;
    }

    /** Of the packets injected between the two times, how many arrived. */
    public int receivedBetween(long fromNanos, long toNanos) {
        int n = 0;
        synchronized (received) {
            for (int id = 0, end = sent; id < end; id++) {
                if (sentAtNanos[id] - fromNanos >= 0 && sentAtNanos[id] - toNanos < 0 && received.get(id)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Stops both threads at once (what is still on its way is not waited for). */
    @Override
    public void close() {
        running.set(false);
        receiver.interrupt();
        try {
            sender.join();
            receiver.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
