package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectAddressCacheTest {

    @Test
    void givesTheDirectBufferBaseAddressEvenWhenSlotsCollide() {
        DirectAddressCache cache = new DirectAddressCache(2);
        ByteBuffer[] buffers = new ByteBuffer[8];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(64);
            buffers[i].position(10);
        }
        for (int round = 0; round < 3; round++) {
            for (ByteBuffer b : buffers) {
                assertEquals(Pointer.nativeValue(Native.getDirectBufferPointer(b)), cache.addressOf(b));
            }
        }
    }

    @Test
    void refusesHeapBuffersAndBadSizes() {
        DirectAddressCache cache = new DirectAddressCache(4);
        assertThrows(IllegalArgumentException.class, () -> cache.addressOf(ByteBuffer.allocate(64)));
        assertThrows(IllegalArgumentException.class, () -> new DirectAddressCache(3));
        assertThrows(IllegalArgumentException.class, () -> new DirectAddressCache(0));
    }
}
