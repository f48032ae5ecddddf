package io.mlvpn.core.session;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.config.PreSharedKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Produces the {@link PreSharedKey} from a key file or a password, and writes new key files.
 *
 * <p>A key file holds the {@value PreSharedKey#LENGTH}-byte key in standard base64 on one line
 * (surrounding whitespace allowed) and must not be accessible to group or others. A password is
 * stretched with PBKDF2; it is open to offline guessing from a captured handshake, a key file is
 * not. No method ever puts key material or file content into an exception message.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class Secrets {
    /** PBKDF2-HMAC-SHA256 iteration count for {@link #fromPassword(char[], String)}. */
    public static final int PBKDF2_ITERATIONS = 600_000;

    /** Fixed label that starts every password salt; see {@link #fromPassword(char[], String)}. */
    static final String SALT_LABEL = "mlvpn2 password salt:";

    private static final String KEY_FILE = "key.file";
    private static final String PASSWORD = "password";
    /** A key line is 44 characters; anything much longer is not a key file. */
    private static final long MAX_KEY_FILE_BYTES = 1024;
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private Secrets() {
    }

    /**
     * Reads the key from {@code file}.
     *
     * @throws ConfigException with key {@code key.file}: {@link Reason#INSECURE_PERMISSIONS} when
     *     group or others have any permission bit on the file; {@link Reason#UNREADABLE} when it is
     *     missing, not a regular file, unreadable, or does not hold exactly 32 bytes of valid base64
     */
    public static PreSharedKey fromKeyFile(Path file) throws ConfigException {
        String shown = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(KEY_FILE, Reason.UNREADABLE,
                    Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "not a regular file" : "no such file", shown);
        }
        checkPrivate(file, KEY_FILE, "key file");
        byte[] content = null;
        byte[] key = null;
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new ConfigException(KEY_FILE, Reason.UNREADABLE, "too large to be a key file", shown);
            }
            content = Files.readAllBytes(file);
            key = decodeKeyLine(content);
            if (key == null || key.length != PreSharedKey.LENGTH) {
                throw new ConfigException(KEY_FILE, Reason.UNREADABLE,
                        "does not hold a " + PreSharedKey.LENGTH + "-byte key in base64 on one line", shown);
            }
            return PreSharedKey.of(key);
        } catch (IOException e) {
            throw new ConfigException(KEY_FILE, Reason.UNREADABLE, "cannot read (" + e.getClass().getSimpleName() + ")",
                    shown);
        } finally {
            wipe(content);
            wipe(key);
        }
    }

    /**
     * Derives the key from a password with PBKDF2-HMAC-SHA256, {@value #PBKDF2_ITERATIONS}
     * iterations, 32 bytes of output; the password's characters are encoded as UTF-8.
     *
     * <p>Salt: both ends derive the same salt from a fixed label and the optional configured salt,
     * so nothing has to be exchanged: the salt bytes are the UTF-8 encoding of
     * {@code "mlvpn2 password salt:" + (salt == null ? "" : salt)}. A configured salt
     * ({@code key.salt}) only makes precomputed guesses useless across deployments; it is not
     * secret.
     *
     * <p>The caller keeps ownership of {@code password} and should wipe it; this method wipes its
     * own copies. Deliberately slow (hundreds of milliseconds): call it once at start.
     *
     * @param password the password, not empty
     * @param salt the configured salt, or {@code null} for none
     * @throws ConfigException with key {@code password} and {@link Reason#INVALID_VALUE} when the
     *     password is empty
     */
    public static PreSharedKey fromPassword(char[] password, String salt) throws ConfigException {
        if (password.length == 0) {
            throw new ConfigException(PASSWORD, Reason.INVALID_VALUE, "empty password");
        }
        byte[] saltBytes = (SALT_LABEL + (salt == null ? "" : salt)).getBytes(StandardCharsets.UTF_8);
        PBEKeySpec spec = new PBEKeySpec(password, saltBytes, PBKDF2_ITERATIONS, PreSharedKey.LENGTH * 8);
        byte[] key = null;
        try {
            key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return PreSharedKey.of(key);
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime ships PBKDF2WithHmacSHA256; its absence is a broken JDK.
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
            wipe(key);
        }
    }

    /**
     * Writes a new random key to {@code file}: 32 bytes from {@link SecureRandom}, base64, a
     * newline. The file is created with permissions {@code 0600} in the same call that creates it,
     * so it is never visible with wider permissions; an existing file is never overwritten. A file
     * left half-written by an I/O error is deleted.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
     * @throws UnsupportedOperationException when the file system has no POSIX permissions
     * @throws IOException when the file cannot be created or written
     */
    public static void generateKeyFile(Path file) throws IOException {
        byte[] key = new byte[PreSharedKey.LENGTH];
        new SecureRandom().nextBytes(key);
        byte[] line = encodeKeyLine(key);
        wipe(key);
        try {
            try (SeekableByteChannel ch = Files.newByteChannel(file,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                try {
                    ByteBuffer buf = ByteBuffer.wrap(line);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                } catch (IOException | RuntimeException e) {
                    deleteQuietly(file, e);
                    throw e;
                }
            }
        } finally {
            wipe(line);
        }
    }

    /** Refuses a secret-holding file that group or others can access; silent where POSIX is absent. */
    static void checkPrivate(Path file, String key, String what) throws ConfigException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new ConfigException(key, Reason.UNREADABLE, "cannot read permissions of " + file
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        for (PosixFilePermission p : GROUP_OR_OTHERS) {
            if (perms.contains(p)) {
                throw new ConfigException(key, Reason.INSECURE_PERMISSIONS, what + " " + file
                        + " is accessible to group or others (" + PosixFilePermissions.toString(perms)
                        + "); fix with: chmod 600 " + file);
            }
        }
    }

    private static byte[] encodeKeyLine(byte[] key) {
        byte[] b64 = Base64.getEncoder().encode(key);
        byte[] line = Arrays.copyOf(b64, b64.length + 1);
        line[b64.length] = '\n';
        wipe(b64);
        return line;
    }

    /** The decoded key, or {@code null} when {@code content} is not one line of base64. */
    private static byte[] decodeKeyLine(byte[] content) {
        int from = 0;
        int to = content.length;
        while (from < to && isSpace(content[from])) {
            from++;
        }
        while (to > from && isSpace(content[to - 1])) {
            to--;
        }
        byte[] trimmed = Arrays.copyOfRange(content, from, to);
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            // The message of this exception quotes the offending character: never pass it on.
            return null;
        } finally {
            wipe(trimmed);
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static void deleteQuietly(Path file, Exception cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
