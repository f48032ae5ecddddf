package io.mlvpn.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A status command for tests: a small shell script that appends one line per call to a record
 * file: its arguments, then the hook variables, the working directory and whether standard input
 * is empty. The link name (third argument) steers it: {@code fail} exits with status 3, {@code hang} starts
 * a {@code sleep} (writing its PID beside the record) and waits for it.
 */
final class FakeStatusCommand {
    final Path script;
    final Path record;
    final Path sleeperPid;

    private FakeStatusCommand(Path script, Path record, Path sleeperPid) {
        this.script = script;
        this.record = record;
        this.sleeperPid = sleeperPid;
    }

    static FakeStatusCommand in(Path dir) {
        Path script = dir.resolve("status.sh");
        Path record = dir.resolve("status.calls");
        Path pid = dir.resolve("sleeper.pid");
        String text = "#!/bin/sh\n"
                + "[ \"$3\" = hang ] && { sleep 60 & echo $! > '" + pid + "'; wait; }\n"
                + "read -r line; stdin=$?\n"
                + "printf '%s|DEVICE=%s MTU=%s IP4=%s IP6=%s IP4_GATEWAY=%s IP6_GATEWAY=%s IP4_ROUTES=%s"
                + " IP6_ROUTES=%s PWD=%s STDIN_EOF=%s PATH_SET=%s\\n' \"$*\" \"$DEVICE\" \"$MTU\" \"$IP4\""
                + " \"${IP6-unset}\" \"$IP4_GATEWAY\" \"$IP6_GATEWAY\" \"$IP4_ROUTES\" \"$IP6_ROUTES\" \"$(pwd)\""
                + " \"$stdin\" \"${PATH:+yes}\" >> '" + record + "'\n"
                + "[ \"$3\" = fail ] && exit 3\n"
                + "exit 0\n";
        try {
            Files.writeString(script, text);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakeStatusCommand(script, record, pid);
    }

    /** The recorded calls' arguments, one per call, in order. */
    List<String> calls() {
        return lines().stream().map(l -> l.substring(0, l.indexOf('|'))).toList();
    }

    /** The recorded lines, whole. */
    List<String> lines() {
        try {
            return Files.exists(record) ? Files.readAllLines(record) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
