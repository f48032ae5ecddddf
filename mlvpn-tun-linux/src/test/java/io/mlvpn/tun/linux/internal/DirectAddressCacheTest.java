package io.mlvpn.tun.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The remembered buffer addresses agree with JNA's, also once the table overflows. */
class DirectAddressCacheTest {

    @BeforeEach
    void needsJna() {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
    }

    @Test
    void everyAddressMatchesJnaEvenBeyondTheTableSize() {
        DirectAddressCache cache = new DirectAddressCache();
        ByteBuffer[] buffers = new ByteBuffer[3 * DirectAddressCache.SIZE];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(64);
            buffers[i].position(i % 7); // the address is of index 0 whatever the position
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < buffers.length; i++) {
                assertEquals(DirectAddress.of(buffers[i], 5), cache.addressOf(buffers[i], 5), "buffer " + i);
                assertEquals(i % 7, buffers[i].position(), "position left as it was");
            }
        }
    }

    @Test
    void aHeapBufferIsRefused() {
        DirectAddressCache cache = new DirectAddressCache();
        assertThrows(IllegalArgumentException.class, () -> cache.addressOf(ByteBuffer.allocate(64), 0));
    }
}
