package io.mlvpn.core;

import io.mlvpn.api.Clock;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.buffer.BufferPool;
import io.mlvpn.core.link.LinkArray;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.loop.MpscRing;
import io.mlvpn.core.metrics.TunnelCounters;
import java.util.concurrent.locks.LockSupport;

/**
 * What the tunnel's threads share: configuration, links, sessions, the buffer pool and the hand-off
 * ring to the device writer. Built once per tunnel; its fields are final or volatile.
 */
final class TunnelContext {
    /**
     * Bytes in front of a packet read from the device or handed to the writer; what a buffer
     * handed to the writer holds is its {@link io.mlvpn.core.buffer.PacketMeta}.
     */
    static final int HEADROOM = 32;

    /** The configuration now in force; replaced by a reload (timer thread). */
    volatile TunnelConfig config;
    final boolean client;
    /** The links now in use; replaced by a reload (timer thread). */
    volatile LinkArray linkSet;
    final SessionTable sessions = new SessionTable();
    final TunnelCounters counters = new TunnelCounters();
    final BufferPool pool;
    final MpscRing<PacketBuffer> toDevice;
    final Clock clock;
    final int mtu;
    /**
     * The tunnel MTU in force: {@link #mtu}, lowered while a connected link's probed path MTU
     * is smaller. Written by the timer thread, read by the device reader for every packet.
     */
    volatile int effectiveMtu;
    final int bufferCapacity;
    volatile PacketDevice device;
    volatile boolean running;
    /** Bumped by the timer thread whenever a link's state changes. */
    volatile int linkSetVersion;
    volatile Thread writerThread;
    /** True while the device writer is parked waiting for work. */
    volatile boolean writerParked;
    /** Bumped by the timer whenever a link went suspect or down: held reorder gaps will not fill. */
    volatile int linkLosses;

    TunnelContext(TunnelConfig config, LinkArray links, Clock clock, int mtu, int bufferCapacity, int poolSize,
            int ringSize) {
        this.config = config;
        this.client = config.mode() == io.mlvpn.api.config.Mode.CLIENT;
        this.linkSet = links;
        this.clock = clock;
        this.mtu = mtu;
        this.effectiveMtu = mtu;
        this.bufferCapacity = bufferCapacity;
        this.pool = new BufferPool(bufferCapacity, poolSize);
        this.toDevice = new MpscRing<>(ringSize);
    }

    /** Hands a buffer to the device writer; on a full ring counts a drop and returns false. */
    boolean handToDevice(PacketBuffer b) {
        if (!toDevice.offer(b)) {
            counters.countQueueFull();
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

    /**
     * Returns to the pool the packets left in the hand-off ring at close, which the device writer
     * will never take. Only once the writer has ended: the ring has one consumer.
     */
    void releaseHandOff() {
        Thread w = writerThread;
        if (w != null && w.isAlive()) {
            return;
        }
        PacketBuffer b;
        while ((b = toDevice.poll()) != null) {
            pool.release(b);
        }
    }

    /** The links now in use, in configuration order (a snapshot: do not modify). */
    LinkRuntime[] links() {
        return linkSet.links();
    }

    boolean anyLinkUp() {
        for (LinkRuntime l : linkSet.links()) {
            if (l.state().connected()) {
                return true;
            }
        }
        return false;
    }
}
