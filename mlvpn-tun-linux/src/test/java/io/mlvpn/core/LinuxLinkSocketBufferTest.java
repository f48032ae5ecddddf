package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.transport.DatagramTransport;
import io.mlvpn.tun.linux.LinuxUdpTransport;
import io.mlvpn.tun.linux.LinuxUdpTransportProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A link's {@code socket.buffer} goes all the way to the kernel through {@link LinkOpener} and the
 * Linux transport. In {@code io.mlvpn.core} because {@link LinkOpener} is package-private; here
 * because only this module has the transport that forces sizes.
 */
class LinuxLinkSocketBufferTest {
    /** Bit of CAP_NET_ADMIN in the capability sets of {@code /proc/self/status}. */
    private static final int CAP_NET_ADMIN = 12;

    @Test
    void aForcedEightMebibyteReceiveBufferIsGranted() throws Exception {
        assumeTrue(new LinuxUdpTransportProvider().isAvailable(), "linux-udp is not available here");
        assumeTrue(hasNetAdmin(), "SO_RCVBUFFORCE needs CAP_NET_ADMIN: run as root");
        int bytes = 8 << 20;
        LinkConfig link = LinkConfig.builder("fiber").bindHost("127.0.0.1").socketBufferBytes(bytes)
                .transport(LinuxUdpTransportProvider.NAME).build();
        try (DatagramTransport t = new LinkOpener(List.of(new LinuxUdpTransportProvider()), false).open(link, null)) {
            assertTrue(t instanceof LinuxUdpTransport, t.getClass().getName());
            LinuxUdpTransport linux = (LinuxUdpTransport) t;
            // Linux reports twice what it was given: the other half is its bookkeeping allowance.
            assertEquals(2 * bytes, linux.receiveBufferBytes(), "rmem_max is " + sysctl("rmem_max"));
            assertEquals(2 * bytes, linux.sendBufferBytes(), "wmem_max is " + sysctl("wmem_max"));
        }
    }

    private static boolean hasNetAdmin() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << CAP_NET_ADMIN)) != 0;
            }
        }
        return false;
    }

    private static String sysctl(String name) throws IOException {
        return Files.readString(Path.of("/proc/sys/net/core/" + name)).trim();
    }
}
