package io.mlvpn.launcher.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;

/**
 * The unix domain socket of the control endpoint: one command line per connection (see
 * {@link Commands}), one answer, then the connection is closed.
 *
 * <p><b>Access.</b> The socket file has mode 0600; a parent directory the endpoint creates has
 * mode 0700. Because a socket is created with the process umask before its mode can be changed,
 * every connection is also checked by its peer's credentials ({@code SO_PEERCRED}): only root and
 * the socket file's owner are served. A stale socket file (nobody listening) is removed at start;
 * a live one, or a path that is not a socket, is an error.
 *
 * <p><b>Limits.</b> A line is at most {@value #MAX_LINE_BYTES} bytes; a client has
 * {@value #CLIENT_MILLIS} ms for its command and the answer, then it is cut off.
 *
 * <p><b>Threads.</b> {@code NAME-control-unix} accepts; {@value #THREADS} workers
 * ({@code NAME-control-unix-N}) serve, with a queue of {@value #QUEUE}; beyond that a connection is
 * closed at once.
 */
final class UnixEndpoint implements AutoCloseable {
    static final int MAX_LINE_BYTES = 1024;
    static final long CLIENT_MILLIS = 5_000;
    static final int THREADS = 2;
    static final int QUEUE = 8;
    private static final long DRAIN_BYTES = 64 * 1024;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final ServerSocketChannel server;
    private final Commands commands;
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor workers;
    private final Logger log;
    private final Thread acceptor;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The directory this endpoint created for the socket, or null. */
    private final Path createdDir;

    private UnixEndpoint(Path path, Path createdDir, ServerSocketChannel server, Commands commands,
            ScheduledExecutorService timer, String name, Logger log) {
        this.path = path;
        this.createdDir = createdDir;
        this.server = server;
        this.commands = commands;
        this.timer = timer;
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, name + "-control-unix-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.acceptor = new Thread(this::acceptLoop, name + "-control-unix");
        this.acceptor.setDaemon(true);
    }

    static UnixEndpoint open(Path path, Commands commands, ScheduledExecutorService timer, String name, Logger log)
            throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path createdDir = null;
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            createdDir = dir;
        }
        removeStale(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), QUEUE);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("control.unix: cannot listen on " + path + ": " + e, e);
        }
        UnixEndpoint u = new UnixEndpoint(path, createdDir, server, commands, timer, name, log);
        u.acceptor.start();
        return u;
    }

    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException("control.unix: " + path + " exists and is not a socket; not removed");
        }
        boolean live;
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
            live = true;
        } catch (IOException e) {
            // Nobody listens (ECONNREFUSED): a socket left by a process that ended.
            live = false;
        }
        if (live) {
            throw new IOException("control.unix: " + path + ": another process is listening there");
        }
        Files.delete(path);
    }

    Path path() {
        return path;
    }

    void grantTo(String user) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = users.lookupPrincipalByName(user);
        Files.setOwner(path, owner);
        if (createdDir != null) {
            // The user can then remove the socket at its stop.
            Files.setOwner(createdDir, owner);
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    log.warn("control socket {}: accept: {}", path, e.toString());
                }
                return;
            }
            try {
                workers.execute(() -> serve(c));
            } catch (RejectedExecutionException e) {
                closeQuietly(c);
            }
        }
    }

    private void serve(SocketChannel c) {
        ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(c), CLIENT_MILLIS, TimeUnit.MILLISECONDS);
        try (c) {
            boolean allowed = allowed(c);
            String line = readLine(c);
            if (!allowed) {
                answer(c, StatusJson.error("not allowed: only root and the socket's owner"));
            } else if (line == null) {
                return;
            } else if (line.length() > MAX_LINE_BYTES) {
                answer(c, StatusJson.error("line longer than " + MAX_LINE_BYTES + " bytes"));
            } else {
                answer(c, commands.answer(line).body());
            }
        } catch (IOException e) {
            log.debug("control socket client: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("control socket client: {}", e.toString());
        } finally {
            deadline.cancel(false);
        }
    }

    private boolean allowed(SocketChannel c) throws IOException {
        UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
        UserPrincipal user = peer.user();
        if (user.getName().equals("root")) {
            return true;
        }
        return user.equals(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** The first line, without its end; one byte past the limit when it is too long; null at once-EOF. */
    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_LINE_BYTES + 1);
        while (buf.hasRemaining()) {
            int r = c.read(buf);
            if (r < 0) {
                break;
            }
            byte[] a = buf.array();
            for (int i = buf.position() - r; i < buf.position(); i++) {
                if (a[i] == '\n' || a[i] == 0x04) {
                    return strip(new String(a, 0, i, StandardCharsets.UTF_8));
                }
            }
        }
        if (buf.position() == 0) {
            return null;
        }
        return strip(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
    }

    private static String strip(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Writes the answer, ends the output and reads what the client still sends (bounded by the
     * deadline and {@value #DRAIN_BYTES} bytes): closing with unread input would reset the
     * connection and the client could lose the answer.
     */
    private static void answer(SocketChannel c, String body) throws IOException {
        write(c, body.endsWith("\n") ? body : body + "\n");
        c.shutdownOutput();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long drained = 0;
        int r;
        while (drained < DRAIN_BYTES && (r = c.read(sink)) >= 0) {
            drained += r;
            sink.clear();
        }
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // Closing a client we give up on; nothing else to do.
        }
    }

    /** Stops accepting, cuts off clients and removes the socket file. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            log.debug("control socket close: {}", e.toString());
        }
        workers.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("control socket {}: cannot remove: {}", path, e.toString());
        }
    }
}
