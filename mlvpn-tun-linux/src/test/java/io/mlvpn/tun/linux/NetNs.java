package io.mlvpn.tun.linux;

import com.sun.jna.Native;
import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.Fcntl;
import io.mlvpn.tun.linux.internal.LibC;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace made for one test class with {@code ip netns add}, deleted on close. Tun
 * devices and sockets are created in the calling thread's namespace, so a test moves its thread in
 * with {@link #enter()} (setns(2)) and back when the returned scope closes.
 */
final class NetNs implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    static {
        Native.register(NetNs.class, "c");
    }

    private static native int setns(int fd, int nstype);

    private final String name;
    private final int fd;

    private NetNs(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    static NetNs create() throws IOException, InterruptedException {
        String name = "mlvt-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        TestSupport.run("ip", "netns", "add", name);
        int fd = LibC.open("/var/run/netns/" + name, O_RDONLY | Fcntl.O_CLOEXEC);
        if (fd < 0) {
            IOException e = Errno.lastException("open(/var/run/netns/" + name + ")");
            TestSupport.run("ip", "netns", "delete", name);
            throw e;
        }
        return new NetNs(name, fd);
    }

    String name() {
        return name;
    }

    /** Moves the calling thread into the namespace until the returned scope is closed. */
    Scope enter() throws IOException {
        int original = LibC.open("/proc/thread-self/ns/net", O_RDONLY | Fcntl.O_CLOEXEC);
        if (original < 0) {
            throw Errno.lastException("open(/proc/thread-self/ns/net)");
        }
        if (setns(fd, CLONE_NEWNET) != 0) {
            IOException e = Errno.lastException("setns(" + name + ")");
            LibC.close(original);
            throw e;
        }
        return () -> {
            int rc = setns(original, CLONE_NEWNET);
            int errno = Errno.last();
            LibC.close(original);
            if (rc != 0) {
                throw Errno.exception("setns(back to the original namespace)", errno);
            }
        };
    }

    /** Runs a command inside the namespace ({@code ip netns exec}). */
    String exec(String... command) throws IOException, InterruptedException {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return TestSupport.run(full);
    }

    @Override
    public void close() throws IOException {
        LibC.close(fd);
        try {
            TestSupport.run("ip", "netns", "delete", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted deleting namespace " + name, e);
        }
    }

    /** The time a thread spends inside the namespace. */
    interface Scope extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
