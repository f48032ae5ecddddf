package io.mlvpn.tun.linux;

import io.mlvpn.api.system.ProcessServices;
import io.mlvpn.tun.linux.internal.Capability;
import io.mlvpn.tun.linux.internal.Credentials;
import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.Passwd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Drops root for a user while keeping {@code CAP_NET_ADMIN}.
 *
 * <p><b>What holds for which thread.</b> Linux keeps credentials per thread. glibc applies
 * {@code setresgid}, {@code setresuid} and {@code initgroups} to every thread of the process, so
 * after {@link #dropPrivileges} no thread keeps uid 0, gid 0 or root's groups (this is checked in
 * {@code /proc/self/task}). The keep-capabilities flag and {@code capset} act on the calling thread
 * only, and no system call can give another existing thread a capability. Hence:
 * <ul>
 *   <li>the calling thread holds CAP_NET_ADMIN (permitted and effective), and every thread it starts
 *       afterwards inherits it, as do their own children;</li>
 *   <li>threads that existed before the call (JVM internal threads, pools started earlier) end with
 *       no capability at all.</li>
 * </ul>
 * Opening {@code /dev/net/tun} afterwards also needs file access to it, which is often root-only
 * (mode 0600): open the devices before dropping, as MLVPN does. So call it once, early, from the
 * thread that will then start the engine's threads; the engine
 * must not do device or socket configuration that needs CAP_NET_ADMIN from a thread that existed
 * before (for example a JDK signal-handler thread: hand such work to an engine thread). Safe for
 * concurrent use (calls are serialized).
 */
final class LinuxProcessServices implements ProcessServices {
    private static final Object LOCK = new Object();

    /**
     * Switches every thread to {@code user}'s uid, gid and groups; the calling thread (and threads it
     * starts afterwards) keeps CAP_NET_ADMIN. A failure after the group change leaves the process
     * partly changed: the caller should exit.
     *
     * @throws IOException naming the failing call, when the user does not exist, or when not root
     */
    @Override
    public void dropPrivileges(String user) throws IOException {
        synchronized (LOCK) {
            int euid = LibC.geteuid();
            if (euid != 0) {
                throw new IOException("dropPrivileges(\"" + user + "\"): needs root, effective uid is " + euid);
            }
            Passwd account = Credentials.lookUp(user);
            int uid = account.pw_uid;
            int gid = account.pw_gid;
            if (uid == 0) {
                throw new IOException("dropPrivileges(\"" + user + "\"): the account has uid 0");
            }
            check(LibC.initgroups(user, gid), "initgroups(\"" + user + "\", " + gid + ")");
            check(LibC.prctl(Capability.PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS, 1)");
            check(LibC.setresgid(gid, gid, gid), "setresgid(" + gid + ")");
            check(LibC.setresuid(uid, uid, uid), "setresuid(" + uid + ")");
            Credentials.keepOnlyNetAdmin();
            check(LibC.prctl(Capability.PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_SET_KEEPCAPS, 0)");
            verifyNoThreadKeepsRoot(user, uid);
        }
    }

    @Override
    public int effectiveUserId() {
        return LibC.geteuid();
    }

    private static void verifyNoThreadKeepsRoot(String user, int uid) throws IOException {
        Path tasks = Paths.get("/proc/self/task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String status;
                try {
                    status = Files.readString(task.resolve("status"), StandardCharsets.US_ASCII);
                } catch (java.nio.file.NoSuchFileException ended) {
                    continue; // the thread ended meanwhile
                }
                for (String line : status.split("\n")) {
                    if (line.startsWith("Uid:") && !line.substring(4).trim().matches("(" + uid + "\\s+){3}" + uid)) {
                        throw new IOException("dropPrivileges(\"" + user + "\"): thread " + task.getFileName()
                                + " kept other user ids: " + line);
                    }
                }
            }
        }
    }

    private static void check(int rc, String call) throws IOException {
        if (rc != 0) {
            throw Errno.lastException(call);
        }
    }
}
