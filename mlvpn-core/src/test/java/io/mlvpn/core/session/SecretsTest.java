package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.config.PreSharedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    /** Independently computed: Python {@code hashlib.pbkdf2_hmac("sha256", pw, b"mlvpn2 password salt:", 600000, 32)}. */
    private static final String STAPLE_VECTOR_HEX = "486c936ca59fdba3e1d5761ba94cbbde650dc2da31ac0a8b7e5f1f6de55bc46b";

    private static final byte[] KEY_BYTES = new byte[PreSharedKey.LENGTH];

    @TempDir
    Path dir;

    @BeforeAll
    static void fillKey() {
        for (int i = 0; i < KEY_BYTES.length; i++) {
            KEY_BYTES[i] = (byte) (i * 7 + 1);
        }
    }

    private Path writePrivate(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static void assumePosix(Path dir) {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "file system has no POSIX permissions");
    }

    @Test
    void keyFileWithSurroundingWhitespaceLoads() throws Exception {
        Path f = writePrivate("k", "  \n" + b64(KEY_BYTES) + "\r\n\n");
        assertArrayEquals(KEY_BYTES, Secrets.fromKeyFile(f).bytes());
    }

    @Test
    void keyFileWithoutPaddingOrNewlineLoads() throws Exception {
        Path f = writePrivate("k", b64(KEY_BYTES).replace("=", ""));
        assertArrayEquals(KEY_BYTES, Secrets.fromKeyFile(f).bytes());
    }

    @Test
    void groupReadableKeyFileIsRefusedWithFixHint() throws Exception {
        assumePosix(dir);
        Path f = writePrivate("k", b64(KEY_BYTES));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        ConfigException e = assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(f));
        assertEquals("key.file", e.key());
        assertEquals(Reason.INSECURE_PERMISSIONS, e.reason());
        assertTrue(e.getMessage().contains("chmod 600 " + f), e.getMessage());
        assertFalse(e.getMessage().contains(b64(KEY_BYTES)), e.getMessage());
    }

    @Test
    void anyOtherPermissionBitIsRefused() throws Exception {
        assumePosix(dir);
        for (String perms : new String[] {"rw-----w-", "rw------x", "rw---x---", "rw----r--"}) {
            Path f = writePrivate("k-" + perms, b64(KEY_BYTES));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
            ConfigException e = assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(f), perms);
            assertEquals(Reason.INSECURE_PERMISSIONS, e.reason(), perms);
        }
    }

    @Test
    void missingKeyFileIsUnreadable() {
        Path f = dir.resolve("absent.key");
        ConfigException e = assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(f));
        assertEquals("key.file", e.key());
        assertEquals(Reason.UNREADABLE, e.reason());
        assertEquals(f.toString(), e.value());
    }

    @Test
    void directoryIsUnreadable() {
        ConfigException e = assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(dir));
        assertEquals(Reason.UNREADABLE, e.reason());
    }

    @Test
    void wrongLengthIsUnreadable() throws Exception {
        Path f = writePrivate("k", b64(new byte[31]));
        ConfigException e = assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(f));
        assertEquals("key.file", e.key());
        assertEquals(Reason.UNREADABLE, e.reason());
    }

    @Test
    void invalidBase64IsUnreadableAndNeverEchoed() throws Exception {
        String content = "sekrit!passphrase-not-base64";
        Path f = writePrivate("k", content);
        ConfigException e = assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(f));
        assertEquals(Reason.UNREADABLE, e.reason());
        assertFalse(e.getMessage().contains("sekrit"), e.getMessage());
        assertFalse(e.getMessage().contains("!"), e.getMessage());
    }

    @Test
    void twoLinesAreUnreadable() throws Exception {
        String line = b64(KEY_BYTES);
        Path f = writePrivate("k", line.substring(0, 20) + "\n" + line.substring(20) + "\n");
        assertEquals(Reason.UNREADABLE, assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(f)).reason());
    }

    @Test
    void hugeFileIsUnreadable() throws Exception {
        Path f = writePrivate("k", "A".repeat(100_000));
        assertEquals(Reason.UNREADABLE, assertThrows(ConfigException.class, () -> Secrets.fromKeyFile(f)).reason());
    }

    @Test
    void generatedKeyFileLoadsBack() throws Exception {
        Path f = dir.resolve("new.key");
        Secrets.generateKeyFile(f);
        PreSharedKey k = Secrets.fromKeyFile(f);
        String content = Files.readString(f, StandardCharsets.US_ASCII);
        assertTrue(content.endsWith("\n"));
        assertEquals(1, content.lines().count());
        assertArrayEquals(Base64.getDecoder().decode(content.trim()), k.bytes());
    }

    @Test
    void generatedKeyFileIsOwnerOnly() throws Exception {
        assumePosix(dir);
        Path f = dir.resolve("new.key");
        Secrets.generateKeyFile(f);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void generatedKeysDiffer() throws Exception {
        Path a = dir.resolve("a.key");
        Path b = dir.resolve("b.key");
        Secrets.generateKeyFile(a);
        Secrets.generateKeyFile(b);
        assertFalse(Secrets.fromKeyFile(a).sameAs(Secrets.fromKeyFile(b)));
    }

    @Test
    void generateRefusesToOverwrite() throws Exception {
        Path f = writePrivate("existing.key", "keep me\n");
        assertThrows(FileAlreadyExistsException.class, () -> Secrets.generateKeyFile(f));
        assertEquals("keep me\n", Files.readString(f));
    }

    @Test
    void passwordMatchesIndependentVector() throws Exception {
        PreSharedKey k = Secrets.fromPassword("correct horse battery staple".toCharArray(), null);
        assertEquals(STAPLE_VECTOR_HEX, HexFormat.of().formatHex(k.bytes()));
    }

    @Test
    void passwordDerivationIsDeterministicAndSaltDependent() throws Exception {
        PreSharedKey a = Secrets.fromPassword("pw".toCharArray(), "site-a");
        PreSharedKey again = Secrets.fromPassword("pw".toCharArray(), "site-a");
        PreSharedKey b = Secrets.fromPassword("pw".toCharArray(), "site-b");
        assertTrue(a.sameAs(again));
        assertFalse(a.sameAs(b));
    }

    @Test
    void emptySaltEqualsNoSalt() throws Exception {
        // Documented: the salt is the label followed by the configured salt, so "" and null agree.
        assertTrue(Secrets.fromPassword("pw".toCharArray(), "").sameAs(Secrets.fromPassword("pw".toCharArray(), null)));
    }

    @Test
    void passwordIsNotWipedForTheCaller() throws Exception {
        char[] pw = "pw".toCharArray();
        Secrets.fromPassword(pw, null);
        assertArrayEquals("pw".toCharArray(), pw);
    }

    @Test
    void emptyPasswordIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> Secrets.fromPassword(new char[0], "x"));
        assertEquals("password", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
    }
}
