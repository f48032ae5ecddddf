package io.mlvpn.launcher.control;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** Run as another user by a test: tries the control socket and prints what happened. */
public final class UnixProbe {
    private UnixProbe() {
    }

    /** Connects to {@code args[0]}, asks for the status, prints the answer or the refusal. */
    public static void main(String[] args) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(args[0]))) {
            c.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(65536);
            while (c.read(b) >= 0 && b.hasRemaining()) {
                Thread.onSpinWait();
            }
            System.out.println("answered: " + new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
