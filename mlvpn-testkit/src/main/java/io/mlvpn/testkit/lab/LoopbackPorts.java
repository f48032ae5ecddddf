package io.mlvpn.testkit.lab;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/** Free UDP ports on 127.0.0.1 for in-process labs. Stateless; safe for concurrent use. */
public final class LoopbackPorts {
    private static final int FIRST = 20_000;
    private static final int COUNT = 10_000;

    private LoopbackPorts() {
    }

    /**
     * A UDP port on 127.0.0.1 that was free when asked, taken from below the kernel's ephemeral
     * range so that the relays' own ephemeral sockets cannot take it before the server binds it.
     *
     * @throws IOException when 100 random tries all found the port taken
     */
    public static int freeUdpPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                return s.getLocalPort();
            } catch (BindException e) {
                // Taken: try another.
            }
        }
        throw new IOException("no free UDP port in " + FIRST + ".." + (FIRST + COUNT - 1));
    }
}
