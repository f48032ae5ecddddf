package io.mlvpn.testkit.lab;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where one relay direction delivers its datagrams. */
interface DatagramSink {
    /**
     * Sends the remaining bytes of {@code datagram} on.
     *
     * @return false when there is nowhere to send it yet (a counted drop)
     */
    boolean send(ByteBuffer datagram) throws IOException;
}
