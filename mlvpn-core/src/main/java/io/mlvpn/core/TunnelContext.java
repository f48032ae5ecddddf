package io.mlvpn.core;

import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.api.scheduler.LinkSet;
import io.mlvpn.api.scheduler.LinkView;
import io.mlvpn.core.buffer.BufferPool;
import io.mlvpn.core.loop.Clock;
import io.mlvpn.core.loop.MpscRing;
import java.util.concurrent.locks.LockSupport;

/**
 * What the tunnel's threads share: configuration, links, sessions, the buffer pool and the hand-off
 * ring to the device writer. Built once per tunnel; its fields are final or volatile.
 */
final class TunnelContext implements LinkSet {
    /** Bytes in front of a packet read from the device or handed to the writer (see {@link #KIND_OFFSET}). */
    static final int HEADROOM = 32;
    /** Where a buffer handed to the writer says what it holds (a byte). */
    static final int KIND_OFFSET = 20;
    /** Where a buffer handed to the writer carries its session lineage (an int). */
    static final int LINEAGE_OFFSET = 16;
    /** Kind: a data packet from the peer; its header copy sits at 0 for the data sequence. */
    static final byte KIND_PEER_DATA = 1;
    /** Kind: a packet the tunnel itself answers into the device (ICMP). */
    static final byte KIND_LOCAL = 2;

    final TunnelConfig config;
    final boolean client;
    final LinkRuntime[] links;
    final SessionTable sessions = new SessionTable();
    final TunnelCounters counters = new TunnelCounters();
    final BufferPool pool;
    final MpscRing<PacketBuffer> toDevice;
    final Clock clock;
    final int mtu;
    final int bufferCapacity;
    volatile PacketDevice device;
    volatile boolean running;
    /** Bumped by the timer thread whenever a link's state changes. */
    volatile int linkSetVersion;
    volatile Thread writerThread;
    /** True while the device writer is parked waiting for work. */
    volatile boolean writerParked;

    TunnelContext(TunnelConfig config, LinkRuntime[] links, Clock clock, int mtu, int bufferCapacity, int poolSize,
            int ringSize) {
        this.config = config;
        this.client = config.mode() == io.mlvpn.api.config.Mode.CLIENT;
        this.links = links;
        this.clock = clock;
        this.mtu = mtu;
        this.bufferCapacity = bufferCapacity;
        this.pool = new BufferPool(bufferCapacity, poolSize);
        this.toDevice = new MpscRing<>(ringSize);
    }

    /** Hands a buffer to the device writer; on a full ring counts a drop and returns false. */
    boolean handToDevice(PacketBuffer b) {
        if (!toDevice.offer(b)) {
            counters.dropsQueueFull.incrementAndGet();
            return false;
        }
        if (writerParked) {
            Thread w = writerThread;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
        return true;
    }

    @Override
    public int size() {
        return links.length;
    }

    @Override
    public LinkView get(int i) {
        return links[i];
    }

    boolean anyLinkUp() {
        for (LinkRuntime l : links) {
            if (l.state.usable()) {
                return true;
            }
        }
        return false;
    }
}
