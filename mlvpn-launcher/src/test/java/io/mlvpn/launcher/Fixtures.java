package io.mlvpn.launcher;

import io.mlvpn.core.session.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Copies a fixture from {@code src/test/resources/config/} into a directory with mode 600 and
 * puts a freshly generated {@code test.key} (mode 600) beside it, as a real deployment would have:
 * Git and Maven do not keep file modes, so the fixtures cannot carry them.
 */
final class Fixtures {
    private Fixtures() {
    }

    static Path copy(String name, Path dir) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/config/" + name + ".properties")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            Path file = dir.resolve(name + ".properties");
            Files.copy(in, file);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Path key = dir.resolve("test.key");
            if (!Files.exists(key)) {
                Secrets.generateKeyFile(key);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
