package io.mlvpn.core.device;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import io.mlvpn.api.device.PacketDeviceContract;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

class MemoryDeviceContractTest extends PacketDeviceContract {

    @Override
    protected PacketDevice openDevice() {
        return new MemoryDevice("mem0", DeviceType.TUN, 1400, 16);
    }

    @Override
    protected void injectInbound(PacketDevice device, byte[] packet) {
        assertTrue(((MemoryDevice) device).inject(packet), "inbound queue full");
    }

    @Override
    protected byte[] awaitOutbound(PacketDevice device, long timeoutMillis) throws InterruptedException {
        MemoryDevice memory = (MemoryDevice) device;
        byte[] dst = new byte[memory.maxPacketBytes()];
        int length = memory.poll(dst, timeoutMillis, TimeUnit.MILLISECONDS);
        return length < 0 ? null : Arrays.copyOf(dst, length);
    }
}
