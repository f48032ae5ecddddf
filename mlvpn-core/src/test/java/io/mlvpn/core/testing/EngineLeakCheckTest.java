package io.mlvpn.core.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.Tunnel;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The leak check finds what it is there to find. */
class EngineLeakCheckTest {

    @Test
    void recognisesEngineThreadsByName() {
        assertTrue(EngineLeakCheck.isEngineThread(new Thread(() -> { }, "mlvpn-cli0-device-reader")));
        assertTrue(EngineLeakCheck.isEngineThread(new Thread(() -> { }, "mlvpn-srv0-l1-receiver")));
        assertTrue(EngineLeakCheck.isEngineThread(new Thread(() -> { }, "mlvpn-srv0-timer")));
        assertFalse(EngineLeakCheck.isEngineThread(new Thread(() -> { }, "relay-l0")));
        assertFalse(EngineLeakCheck.isEngineThread(new Thread(() -> { }, "mlvpn-control-http-1")));
    }

    @Test
    void aTunnelLeftOpenIsReported() throws Exception {
        try (MemoryDevice device = new MemoryDevice("leak0", DeviceType.TUN, 1500, 16);
                Tunnel t = TunnelBuilder.of(TunnelPair.base(Mode.SERVER, TunnelPair.key(1)).interfaceName("leak0")
                        .addLink(io.mlvpn.api.config.LinkConfig.builder("l0").bindHost("127.0.0.1").bindPort(TunnelPair.freePort()).build())
                        .build()).device(device).build()) {
            AssertionError e = assertThrows(AssertionError.class, () -> EngineLeakCheck.assertClean(List.of(t)));
            assertTrue(e.getMessage().contains("leak0 not closed"), e.getMessage());
        }
    }

    @Test
    void anEngineThreadOutlivingTheTestFailsIt() throws Exception {
        EngineLeakCheck check = new EngineLeakCheck(50);
        check.beforeEach(null);
        CountDownLatch end = new CountDownLatch(1);
        Thread lingering = new Thread(() -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mlvpn-leak1-timer");
        lingering.start();
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> check.afterEach(null));
            assertTrue(e.getMessage().contains("mlvpn-leak1-timer"), e.getMessage());
        } finally {
            end.countDown();
            lingering.join();
        }
    }
}
