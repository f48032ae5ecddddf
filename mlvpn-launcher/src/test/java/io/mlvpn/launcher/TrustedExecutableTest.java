package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The StrictModes-like checks on the status command (issue 13, item 8). */
class TrustedExecutableTest {
    @TempDir
    Path dir;

    private Path script(Path in) throws Exception {
        Files.createDirectories(in);
        Path s = Files.writeString(in.resolve("hook.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    @Test
    void aPrivateScriptBelowTheStickyTmpIsTrusted() throws Exception {
        assertEquals(Optional.empty(), TrustedExecutable.problem(script(dir.resolve("hooks"))));
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws Exception {
        Path hooks = dir.resolve("hooks");
        Path s = script(hooks);
        Files.setPosixFilePermissions(hooks, PosixFilePermissions.fromString("rwxrwxrwx"));
        String problem = TrustedExecutable.problem(s).orElseThrow();
        assertTrue(problem.contains("directory " + hooks + " is writable by group or others"), problem);
        assertTrue(problem.contains("chmod go-w " + hooks), problem);
    }

    @Test
    void aGroupWritableDirectoryHigherUpIsRefused() throws Exception {
        Path top = dir.resolve("etc");
        Path s = script(top.resolve("mlvpn"));
        Files.setPosixFilePermissions(top, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertTrue(TrustedExecutable.problem(s).orElseThrow().contains("directory " + top), "parent of the parent");
    }

    @Test
    void aLinkToAScriptInAnUnsafeDirectoryIsRefused() throws Exception {
        Path unsafe = dir.resolve("drop");
        Path target = script(unsafe);
        Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path safe = Files.createDirectories(dir.resolve("etc"));
        Path link = Files.createSymbolicLink(safe.resolve("hook.sh"), target);
        String problem = TrustedExecutable.problem(link).orElseThrow();
        assertTrue(problem.contains("directory " + unsafe), problem);
    }

    @Test
    void aLinkToASafeScriptIsTrusted() throws Exception {
        Path target = script(dir.resolve("lib"));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("etc")).resolve("hook.sh"), target);
        assertEquals(Optional.empty(), TrustedExecutable.problem(link));
    }

    @Test
    void aLinkInAnUnsafeDirectoryIsRefusedEvenToASafeScript() throws Exception {
        Path target = script(dir.resolve("lib"));
        Path unsafe = Files.createDirectories(dir.resolve("drop"));
        Path link = Files.createSymbolicLink(unsafe.resolve("hook.sh"), target);
        Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(TrustedExecutable.problem(link).orElseThrow().contains("directory " + unsafe));
    }

    @Test
    void aScriptOwnedBySomeoneElseIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file to another user");
        Path s = script(dir.resolve("hooks"));
        UserPrincipalLookupService users = s.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(s, users.lookupPrincipalByName("nobody"));
        String problem = TrustedExecutable.problem(s).orElseThrow();
        assertTrue(problem.contains("is owned by uid"), problem);
        assertTrue(problem.contains("neither root nor this process's user"), problem);
    }
}
