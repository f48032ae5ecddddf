package io.mlvpn.launcher.control;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The client side of the control socket, for the {@code status}, {@code links} and
 * {@code reload} commands: sends one command, reads the answer, and renders it for a terminal.
 * Stateless.
 */
public final class ControlClient {
    /** Largest answer read. */
    static final int MAX_ANSWER_BYTES = 4 << 20;

    private ControlClient() {
    }

    /**
     * Sends {@code command} to the socket at {@code socket} and returns the answer.
     *
     * @param timeout for the whole exchange
     * @throws IOException when the socket cannot be reached (the message says where and why), the
     *     answer is larger than 4 MiB, or it does not come in time
     */
    public static String query(Path socket, String command, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                Selector selector = Selector.open()) {
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                c.write(out);
            }
            c.shutdownOutput();
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (true) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    throw new IOException(socket + ": no answer within " + timeout.toMillis() + " ms");
                }
                selector.select(leftMillis);
                selector.selectedKeys().clear();
                int r = c.read(in);
                if (r < 0) {
                    break;
                }
                if (!in.hasRemaining()) {
                    if (in.capacity() >= MAX_ANSWER_BYTES) {
                        throw new IOException(socket + ": answer larger than " + MAX_ANSWER_BYTES + " bytes");
                    }
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The status JSON as a table for a terminal: the tunnel's summary, one line per link (state,
     * RTT, loss, rates, since when and why), and the recent failovers.
     *
     * @throws IllegalArgumentException when {@code json} is not a status answer
     */
    public static String statusTable(String json) {
        return StatusTable.status(JsonParser.parseObject(json));
    }

    /** The links of a status or links JSON as a table. */
    public static String linksTable(String json) {
        return StatusTable.links(JsonParser.parseObject(json));
    }

    /**
     * The error message of an answer, or {@code null} when it is not an error. An action's answer
     * that was not done counts as an error (its message).
     */
    public static String error(String json) {
        Map<String, Object> m = JsonParser.parseObject(json);
        if (m.get("error") != null) {
            return String.valueOf(m.get("error"));
        }
        if (Boolean.FALSE.equals(m.get("ok"))) {
            return String.valueOf(m.get("message"));
        }
        return null;
    }

    /** An action's answer in one or two lines: its message and what was not applied. */
    public static String actionText(String json) {
        Map<String, Object> m = JsonParser.parseObject(json);
        StringBuilder sb = new StringBuilder(String.valueOf(m.get("message"))).append('\n');
        Object notApplied = m.get("not_applied");
        if (notApplied instanceof java.util.List && !((java.util.List<?>) notApplied).isEmpty()) {
            sb.append("not applied (restart to apply): ");
            sb.append(String.join("; ", ((java.util.List<?>) notApplied).stream().map(String::valueOf).toList()));
            sb.append('\n');
        }
        return sb.toString();
    }
}
