package io.mlvpn.core.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.Tunnel;
import io.mlvpn.api.TunnelListener;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.TunnelBuilder;
import io.mlvpn.core.device.MemoryDevice;
import io.mlvpn.core.session.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example of the README, compiled and run: keep the two in step. */
class EmbeddingExampleTest {

    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("mlvpn.key");
        Secrets.generateKeyFile(keyFile);
        List<LinkEvent> events = new CopyOnWriteArrayList<>();

        // --- README example starts here ---
        PreSharedKey key = Secrets.fromKeyFile(keyFile);
        TunnelConfig config = TunnelConfig.builder()
                .mode(Mode.CLIENT)
                .secret(key)
                .addLink(LinkConfig.builder("dsl").remoteHost("127.0.0.1").remotePort(5080)
                        .uploadBitsPerSecond(20_000_000).build())
                .addLink(LinkConfig.builder("lte").remoteHost("127.0.0.1").remotePort(5081).build())
                .build();
        MemoryDevice device = new MemoryDevice("app0", DeviceType.TUN, TunnelBuilder.tunnelMtu(config), 1024);
        try (Tunnel tunnel = TunnelBuilder.of(config).device(device).build()) {
            tunnel.addListener(new TunnelListener() {
                @Override
                public void linkStateChanged(LinkEvent e) {
                    events.add(e); // e.g. "dsl: connecting -> up (authenticated traffic ...)"
                }
            });
            tunnel.start();
            device.inject(new byte[] {0x45, 0, 0, 20}, 0, 4); // packets go in (and come out) here
            // --- README example ends here ---
            assertTrue(Files.exists(keyFile));
            assertEquals(1440, tunnel.mtu());
            assertEquals(2, tunnel.links().size());
        }
        assertTrue(events.stream().anyMatch(e -> e.link().equals("dsl")), "events were raised: " + events);
    }
}
