package io.mlvpn.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.packet.PacketBatch;
import io.mlvpn.api.packet.PacketBuffer;
import io.mlvpn.core.device.MemoryDevice;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The pump's accounting, with the test itself playing the engine on one {@link MemoryDevice}:
 * it reads what the pump injected and writes back what it chooses to deliver, all on one thread.
 */
class PacketPumpTest {
    private final MemoryDevice device = new MemoryDevice("pump0", DeviceType.TUN, 1500, 64);

    /** Moves up to {@code packets} injected packets to the polled side, dropping the first {@code drop}. */
    private void engineStep(int packets, int drop) throws IOException {
        PacketBatch batch = new PacketBatch(packets);
        for (int i = 0; i < packets; i++) {
            batch.add(new PacketBuffer(2048));
        }
        int n = device.read(batch);
        PacketBatch delivered = new PacketBatch(packets);
        for (int i = drop; i < n; i++) {
            delivered.add(batch.get(i));
        }
        device.write(delivered);
    }

    @Test
    void countsDeliveredPacketsAndPresumesLossAfterSilence() throws Exception {
        PacketPump pump = new PacketPump(device, device, 1400, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(0, pump.sendOne());
        }
        engineStep(4, 1); // one of the four is lost on the way

        // The window is full: this call takes the three delivered packets, then injects.
        assertEquals(3, pump.sendOne());
        assertEquals(5, pump.sent());
        assertEquals(3, pump.delivered());

        // Nothing more comes out: after 50 ms of silence both packets in flight are given up.
        pump.drainAll();
        assertEquals(2, pump.presumedLost());

        // The fifth turns up late after all: it counts as delivered and is no longer lost.
        engineStep(1, 0);
        assertEquals(1, pump.drainReady());
        assertEquals(4, pump.delivered());
        assertEquals(1, pump.presumedLost());
        assertEquals(pump.sent(), pump.delivered() + pump.presumedLost());
    }

    @Test
    void injectsPacketsOfTheGivenSize() throws Exception {
        PacketPump pump = new PacketPump(device, device, 700, 8);
        pump.sendOne();
        engineStep(1, 0);
        byte[] out = new byte[1500];
        assertEquals(700, device.poll(out));
        assertEquals(0x45, out[0]); // IPv4, 20-byte header
        assertEquals(700, (out[2] & 0xFF) << 8 | (out[3] & 0xFF));
    }

    @Test
    void rejectsBadArguments() {
        var tooSmall = assertThrows(IllegalArgumentException.class, () -> new PacketPump(device, device, 19, 8));
        assertEquals("payloadBytes outside 20..1500: 19", tooSmall.getMessage());
        var tooLarge = assertThrows(IllegalArgumentException.class, () -> new PacketPump(device, device, 1501, 8));
        assertEquals("payloadBytes outside 20..1500: 1501", tooLarge.getMessage());
        var window = assertThrows(IllegalArgumentException.class, () -> new PacketPump(device, device, 100, 0));
        assertEquals("windowPackets < 1: 0", window.getMessage());
        var links = assertThrows(IllegalArgumentException.class,
                () -> LoopbackPipeline.start("bad", 0, CipherSuite.AES_256_GCM));
        assertEquals("links < 1: 0", links.getMessage());
    }
}
