package io.mlvpn.core.testing;

import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.core.device.MemoryDevice;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * A memory device whose writes block until {@link #resume()} (or the writing thread is
 * interrupted, which fails the write): a device the kernel stopped draining. Reads pass through.
 * Test utility.
 */
public final class StalledWriteDevice implements PacketDevice {
    private final MemoryDevice inner;
    private final CountDownLatch resumed = new CountDownLatch(1);
    private volatile int blockedWrites;

    public StalledWriteDevice(MemoryDevice inner) {
        this.inner = inner;
    }

    /** Lets every write, blocked or future, through to the memory device. */
    public void resume() {
        resumed.countDown();
    }

    /** Writes that have blocked so far. */
    public int blockedWrites() {
        return blockedWrites;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public DeviceType type() {
        return inner.type();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public int read(PacketBatch batch) throws IOException {
        return inner.read(batch);
    }

    @Override
    public void write(PacketBatch batch) throws IOException {
        if (resumed.getCount() > 0) {
            blockedWrites++;
            try {
                resumed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("write interrupted while the device was stalled");
            }
        }
        inner.write(batch);
    }

    @Override
    public void close() {
        inner.close();
    }
}
