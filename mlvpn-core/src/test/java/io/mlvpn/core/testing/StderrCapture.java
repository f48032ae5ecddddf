package io.mlvpn.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@link System#err} (where slf4j-simple logs) while it is open, and
 * still passes it on; {@link #close()} puts the real stream back.
 */
public final class StderrCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    /** Starts capturing. */
    public StderrCapture() {
        System.setErr(new PrintStream(new Tee(captured, original), true, StandardCharsets.UTF_8));
    }

    /** Lines captured so far that contain {@code text}. */
    public long lines(String text) {
        return text().lines().filter(l -> l.contains(text)).count();
    }

    /** Everything captured so far. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    /** Writes to the capture and to the real stream. */
    private static final class Tee extends OutputStream {
        private final ByteArrayOutputStream a;
        private final OutputStream b;

        Tee(ByteArrayOutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            synchronized (a) {
                a.write(x);
            }
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            synchronized (a) {
                a.write(buf, off, len);
            }
            b.write(buf, off, len);
        }
    }
}
