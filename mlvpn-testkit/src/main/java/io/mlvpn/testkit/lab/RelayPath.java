package io.mlvpn.testkit.lab;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of a {@link UdpRelay}: its cut switch, impairment, counters, and the release
 * thread that holds datagrams until they are due.
 *
 * <p><b>Threads.</b> {@link #accept} runs on the direction's receive thread only (one thread for
 * the relay's life). While the impairment passes everything it sends at once (so the sink is
 * called from both threads); otherwise it copies the datagram into a pooled {@link HeldDatagram}
 * and hands it over a
 * {@link HandOffRing} to the release thread, which judges it with a {@link LinkModel}, keeps it in a
 * {@link ReleaseHeap} and sends it when due, then hands the slot back over a second ring. The
 * configuration and the counters are safe from any thread.
 *
 * <p><b>Waiting.</b> The release thread parks until its earliest datagram is due, or without a
 * deadline when it holds none; it never spins. Before parking it publishes its deadline in
 * {@link #parkDeadlineNanos} and then looks at the ring once more; the receive thread publishes
 * into the ring and then reads the deadline (a full fence on both sides), so either the release
 * thread sees the new datagram or the receive thread sees the deadline and unparks it when the
 * datagram could be due sooner.
 *
 * <p><b>Memory</b> is bounded: at most {@link #MAX_HELD_DATAGRAMS} slots (or fewer, as asked) and
 * {@link #MAX_RETAINED_BYTES} of slot storage per direction; a datagram beyond either is a counted
 * drop ({@link RelayCounters#droppedOther()}).
 */
final class RelayPath {
    /** The most datagrams one direction holds at once. */
    static final int MAX_HELD_DATAGRAMS = 8192;
    /** The most bytes of slot storage one direction keeps. */
    static final long MAX_RETAINED_BYTES = 32L << 20;
    /** A slot's storage unless a larger datagram needs more: a full Ethernet-MTU datagram fits. */
    static final int SLOT_BYTES = 2048;

    private static final long AWAKE = Long.MIN_VALUE;
    private static final long IDLE = Long.MAX_VALUE;

    private final DatagramSink sink;
    private volatile Impairment impairment = Impairment.NONE;
    private volatile boolean cut;
    private volatile boolean running = true;

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong droppedByCut = new AtomicLong();
    private final AtomicLong droppedByLoss = new AtomicLong();
    private final AtomicLong droppedByQueue = new AtomicLong();
    private final AtomicLong droppedOther = new AtomicLong();

    private final int maxHeldDatagrams;
    private final HandOffRing<HeldDatagram> toRelease;
    private final HandOffRing<HeldDatagram> toReceive;

    // Receive thread only.
    private final HeldDatagram[] free;
    private int freeCount;
    private int created;
    private long retainedBytes;
    private long sequence;

    // Release thread only.
    private final ReleaseHeap held;
    private final LinkModel model;
    private final Thread releaser;

    /** The release thread's park deadline (System.nanoTime scale), IDLE with none, AWAKE while running. */
    private volatile long parkDeadlineNanos = AWAKE;

    RelayPath(String threadName, long seed, DatagramSink sink) {
        this(threadName, seed, sink, MAX_HELD_DATAGRAMS);
    }

    /** A path holding at most {@code maxHeldDatagrams}, fewer than the default in tests. */
    RelayPath(String threadName, long seed, DatagramSink sink, int maxHeldDatagrams) {
        if (maxHeldDatagrams < 1 || maxHeldDatagrams > MAX_HELD_DATAGRAMS) {
            throw new IllegalArgumentException("maxHeldDatagrams not in [1, " + MAX_HELD_DATAGRAMS + "]: "
                    + maxHeldDatagrams);
        }
        this.sink = sink;
        this.maxHeldDatagrams = maxHeldDatagrams;
        this.toRelease = new HandOffRing<>(maxHeldDatagrams);
        this.toReceive = new HandOffRing<>(maxHeldDatagrams);
        this.free = new HeldDatagram[maxHeldDatagrams];
        this.held = new ReleaseHeap(maxHeldDatagrams);
        this.model = new LinkModel(seed);
        this.releaser = new Thread(this::releaseLoop, threadName);
        releaser.setDaemon(true);
        releaser.start();
    }

    void impair(Impairment impairment) {
        this.impairment = impairment;
    }

    Impairment impairment() {
        return impairment;
    }

    void cut(boolean cut) {
        this.cut = cut;
    }

    boolean isCut() {
        return cut;
    }

    RelayCounters counters() {
        return new RelayCounters(forwarded.get(), droppedByCut.get(), droppedByLoss.get(), droppedByQueue.get(),
                droppedOther.get());
    }

    long forwarded() {
        return forwarded.get();
    }

    long droppedByCut() {
        return droppedByCut.get();
    }

    /** Counts a datagram the receive thread could not even hand over. Receive thread only. */
    void dropOther() {
        droppedOther.incrementAndGet();
    }

    /**
     * Takes one received datagram (its remaining bytes, left unmoved) that arrived at
     * {@code arrivalNanos}. Receive thread only.
     */
    void accept(ByteBuffer datagram, long arrivalNanos) {
        if (cut) {
            droppedByCut.incrementAndGet();
            return;
        }
        Impairment now = impairment;
        if (datagram.remaining() > now.maxDatagramBytes()) {
            droppedOther.incrementAndGet();
            return;
        }
        if (now.isPassThrough()) {
            // Datagrams still held were given their release times under the earlier impairment.
            send(datagram);
            return;
        }
        reclaim();
        HeldDatagram d = take(datagram.remaining());
        if (d == null) {
            droppedOther.incrementAndGet();
            return;
        }
        d.fill(datagram, arrivalNanos, sequence++);
        if (!toRelease.offer(d)) {
            // Cannot happen: the ring holds as many slots as exist. Kept as a counted drop anyway.
            free[freeCount++] = d;
            droppedOther.incrementAndGet();
            return;
        }
        VarHandle.fullFence();
        long deadline = parkDeadlineNanos;
        if (deadline != AWAKE && (deadline == IDLE || arrivalNanos + now.minimumDelayNanos() - deadline < 0)) {
            LockSupport.unpark(releaser);
        }
    }

    /** Stops the release thread and waits up to {@code timeoutMillis} for it. */
    void stop(long timeoutMillis) throws InterruptedException {
        running = false;
        LockSupport.unpark(releaser);
        releaser.join(timeoutMillis);
    }

    private void reclaim() {
        HeldDatagram d;
        while ((d = toReceive.poll()) != null) {
            free[freeCount++] = d;
        }
    }

    private HeldDatagram take(int length) {
        HeldDatagram d;
        if (freeCount > 0) {
            d = free[--freeCount];
        } else if (created < maxHeldDatagrams
                && retainedBytes + Math.max(SLOT_BYTES, length) <= MAX_RETAINED_BYTES) {
            int capacity = Math.max(SLOT_BYTES, length);
            d = new HeldDatagram(capacity);
            created++;
            retainedBytes += capacity;
            return d;
        } else {
            return null;
        }
        if (d.capacity() < length) {
            if (retainedBytes + length - d.capacity() > MAX_RETAINED_BYTES) {
                free[freeCount++] = d;
                return null;
            }
            retainedBytes += length - d.capacity();
            d.grow(length);
        }
        return d;
    }

    private void send(ByteBuffer datagram) {
        try {
            if (sink.send(datagram)) {
                forwarded.incrementAndGet();
            } else {
                droppedOther.incrementAndGet();
            }
        } catch (IOException e) {
            // A send racing a rebind or close: lost, as on a real path.
            droppedOther.incrementAndGet();
        }
    }

    private void releaseLoop() {
        while (running) {
            drainArrivals();
            releaseDue(System.nanoTime());
            HeldDatagram first = held.peek();
            long deadline = first == null ? IDLE : first.releaseNanos;
            parkDeadlineNanos = deadline;
            VarHandle.fullFence();
            if (drainArrivals() == 0 && running) {
                if (deadline == IDLE) {
                    LockSupport.park(this);
                } else {
                    long waitNanos = deadline - System.nanoTime();
                    if (waitNanos > 0) {
                        LockSupport.parkNanos(this, waitNanos);
                    }
                }
            }
            parkDeadlineNanos = AWAKE;
        }
    }

    private int drainArrivals() {
        int n = 0;
        HeldDatagram d;
        while ((d = toRelease.poll()) != null) {
            n++;
            int verdict = model.admit(d.arrivalNanos, d.length, impairment);
            if (verdict == LinkModel.ACCEPTED) {
                d.releaseNanos = model.releaseNanos();
                held.add(d);
            } else {
                (verdict == LinkModel.DROPPED_BY_QUEUE ? droppedByQueue : droppedByLoss).incrementAndGet();
                recycle(d);
            }
        }
        return n;
    }

    private void releaseDue(long nowNanos) {
        HeldDatagram d;
        while ((d = held.peek()) != null && d.releaseNanos - nowNanos <= 0) {
            held.poll();
            send(d.content());
            recycle(d);
        }
    }

    private void recycle(HeldDatagram d) {
        if (!toReceive.offer(d)) {
            throw new IllegalStateException("slot ring full");
        }
    }
}
