package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mlvpn.api.config.ConfigException;
import io.mlvpn.core.session.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Fuzz target: the properties file, from its bytes to a {@link LauncherConfig} through
 * {@link PropertiesConfig#parse(Path)}, the entry point {@code mlvpn FILE} and {@code --check} use
 * (docs/fuzzing.md). Any bytes give a configuration or a {@link ConfigException} naming a key,
 * never another exception. The file lies in a private directory (mode 600) beside a valid
 * {@code test.key}, as in a deployment.
 *
 * <p>A file whose only secret is an inline {@code password} is left out once read: the password
 * is stretched last, after every other check, with 600 000 PBKDF2 rounds (a third of a second
 * per input), and the same checks run on the files that give {@code key.file}.
 */
class ConfigFuzzTest {
    private static final Path DIR = privateDirectory();
    private final Path file = DIR.resolve("fuzz.properties");

    @FuzzTest
    void anyPropertiesText(byte[] input) throws IOException {
        Files.write(file, input);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        if (onlyPassword(input)) {
            return;
        }
        try {
            LauncherConfig c = PropertiesConfig.parse(file);
            assertNotNull(c.tunnel(), "a parsed file gives a tunnel configuration");
        } catch (ConfigException e) {
            assertNotNull(e.key(), "the error names a key");
            assertFalse(e.key().isEmpty(), "the error names a key");
            assertNotNull(e.getMessage(), "the error says what is wrong");
        }
    }

    private boolean onlyPassword(byte[] input) {
        try {
            Map<String, String> entries = ConfigFileReader.read(file);
            return entries.containsKey(ConfigKeys.PASSWORD) && !entries.containsKey(ConfigKeys.KEY_FILE);
        } catch (ConfigException e) {
            return false;
        }
    }

    private static Path privateDirectory() {
        try {
            Path dir = Files.createTempDirectory("mlvpn-config-fuzz", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            dir.toFile().deleteOnExit();
            Path key = dir.resolve("test.key");
            Secrets.generateKeyFile(key);
            key.toFile().deleteOnExit();
            dir.resolve("fuzz.properties").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
