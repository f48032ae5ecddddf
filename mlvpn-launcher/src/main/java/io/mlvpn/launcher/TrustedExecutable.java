package io.mlvpn.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a file may be executed with the launcher's privileges (the status command runs
 * as the launcher's user, often root), the way sshd's StrictModes decides whether to trust a key
 * file: the file must be a regular executable file, and it, every directory above it, and every
 * directory above its real location when it is reached through a symbolic link, must be owned by
 * root or by this process's user and be writable by neither group nor others. Anyone else who
 * could change the file, or rename or replace any directory on its way, could run code as us.
 *
 * <p>One exception, unlike sshd: a directory owned by root with the sticky bit (such as
 * {@code /tmp}) may be writable by everyone, since the sticky bit keeps others from renaming or
 * removing what they do not own, and what lies below it is checked as strictly as the rest.
 *
 * <p>Where the file system has no POSIX owners and modes (not Linux or BSD), only the first checks
 * apply. Stateless.
 */
final class TrustedExecutable {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private TrustedExecutable() {
    }

    /**
     * Why {@code file} must not be executed, or empty when it may be.
     *
     * @param file the executable, absolute or relative to the working directory
     */
    static Optional<String> problem(Path file) {
        if (!Files.exists(file)) {
            return Optional.of(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of(file + ": not a regular file");
        }
        if (!Files.isExecutable(file)) {
            return Optional.of(file + ": not executable");
        }
        Path given = file.toAbsolutePath().normalize();
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return Optional.of(file + ": cannot resolve its real path: " + e.getMessage());
        }
        Optional<Integer> self = processUid();
        List<Path> checked = new ArrayList<>();
        for (Path start : given.equals(real) ? List.of(real) : List.of(given, real)) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (checked.contains(p)) {
                    continue;
                }
                checked.add(p);
                Optional<String> problem = problemOf(file, p, self);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problemOf(Path file, Path p, Optional<Integer> self) {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(file + ": cannot read the owner and mode of " + p + ": " + e.getMessage());
        }
        int mode = (Integer) attributes.get("mode");
        if (Files.isSymbolicLink(p)) {
            // A link's own mode means nothing; its directory and its target are checked.
            return Optional.empty();
        }
        int uid = (Integer) attributes.get("uid");
        boolean trustedOwner = uid == 0 || self.map(s -> s == uid).orElse(true);
        String what = p.equals(file.toAbsolutePath().normalize()) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                ? p.toString() : "directory " + p;
        if (!trustedOwner) {
            return Optional.of(file + ": " + what + " is owned by uid " + uid
                    + ", neither root nor this process's user; fix with: chown root " + p);
        }
        if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
            boolean stickyRootDirectory = uid == 0 && (mode & STICKY) != 0
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (!stickyRootDirectory) {
                return Optional.of(file + ": " + what + " is writable by group or others; fix with: chmod go-w " + p);
            }
        }
        return Optional.empty();
    }

    /** This process's effective user id, where the platform tells it. */
    private static Optional<Integer> processUid() {
        try {
            // /proc/self belongs to the process's effective user.
            return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
