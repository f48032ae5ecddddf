package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.core.session.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
                PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            return Main.run(args, out, err);
        }
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageToStdout() {
        assertEquals(0, run("--help"));
        assertEquals(CommandLine.usage(), out());
        assertEquals("", err());
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertEquals(0, run("-V"));
        assertTrue(out().matches("mlvpn-java \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n"), out());
    }

    @Test
    void usageErrorExitsTwoWithUsageOnStderr() {
        assertEquals(2, run("--frobnicate"));
        assertTrue(err().startsWith("mlvpn: unknown option: --frobnicate\nusage: "), err());
        assertEquals("", out());
    }

    @Test
    void checkOfAValidFile() {
        Path f = Fixtures.copy("server", dir);
        assertEquals(0, run("--check", f.toString()));
        assertEquals(f + ": ok\n", out());
        assertEquals("", err());
    }

    @Test
    void checkOfABadFilePrintsOneLineAndExitsTwo() {
        Path f = Fixtures.copy("bad-bandwidth", dir);
        assertEquals(2, run("--check", "-c", f.toString()));
        assertEquals(f + ": link.dsl1.bandwidth: not a rate (a number with kbit, mbit or gbit; bits/s without a unit):"
                + " \"fast\"\n", err());
        assertEquals("", out());
    }

    @Test
    void checkOfAMissingFile() {
        Path f = dir.resolve("absent.properties");
        assertEquals(2, run("--check", f.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith(f + ": config: no such file"), err());
    }

    @Test
    void genkeyWritesAPrivateKeyFile() throws Exception {
        Path key = dir.resolve("new.key");
        assertEquals(0, run("genkey", key.toString()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Secrets.fromKeyFile(key);
        assertFalse(out().contains(Files.readString(key).trim()), "the key is never printed");
    }

    @Test
    void genkeyNeverOverwrites() throws Exception {
        Path key = dir.resolve("old.key");
        Files.writeString(key, "keep\n");
        assertEquals(1, run("genkey", key.toString()));
        assertEquals(key + ": exists; not overwritten\n", err());
        assertEquals("keep\n", Files.readString(key));
    }

    @Test
    void genkeyIntoAMissingDirectoryFails() {
        assertEquals(1, run("genkey", dir.resolve("no/such/dir/k").toString()));
        assertTrue(err().contains("cannot write the key file"), err());
    }

    @Test
    void runWithABadFilePrintsOneLineAndExitsTwo() {
        Path f = Fixtures.copy("unknown-key", dir);
        assertEquals(2, run(f.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith(f + ": "), err());
    }

    @Test
    void runWithADeviceThatCannotBeOpenedExitsOne() throws Exception {
        // "lo" exists and is no tun device: opening it fails as root (EINVAL) and otherwise (EPERM),
        // without creating anything.
        Path f = Fixtures.copy("server", dir);
        Files.writeString(f, Files.readString(f) + "interface.name = lo\n");
        assertEquals(1, run(f.toString()));
        assertTrue(err().startsWith("mlvpn: cannot start: "), err());
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void theDemoRunsAndSucceeds() {
        assertEquals(0, run("demo", "--seconds", "6"));
        assertTrue(out().contains("came back"), out());
    }
}
