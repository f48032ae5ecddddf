package io.mlvpn.launcher;

import static io.mlvpn.launcher.ConfigKeys.BANDWIDTH;
import static io.mlvpn.launcher.ConfigKeys.FALLBACK_ONLY;
import static io.mlvpn.launcher.ConfigKeys.LATENCY_TOLERANCE;
import static io.mlvpn.launcher.ConfigKeys.LOSS_TOLERANCE;
import static io.mlvpn.launcher.ConfigKeys.REDUNDANT_COPIES;
import static io.mlvpn.launcher.ConfigKeys.REORDER;
import static io.mlvpn.launcher.ConfigKeys.REORDER_BUFFER_SIZE;
import static io.mlvpn.launcher.ConfigKeys.SCHEDULER;
import static io.mlvpn.launcher.ConfigKeys.SOCKET_BUFFER;
import static io.mlvpn.launcher.ConfigKeys.BIND_HOST;
import static io.mlvpn.launcher.ConfigKeys.BIND_INTERFACE;
import static io.mlvpn.launcher.ConfigKeys.BIND_PORT;
import static io.mlvpn.launcher.ConfigKeys.CIPHER;
import static io.mlvpn.launcher.ConfigKeys.CONTROL_HTTP;
import static io.mlvpn.launcher.ConfigKeys.CONTROL_TOKEN;
import static io.mlvpn.launcher.ConfigKeys.CONTROL_UNIX;
import static io.mlvpn.launcher.ConfigKeys.USER;
import static io.mlvpn.launcher.ConfigKeys.INTERFACE_ADDRESS;
import static io.mlvpn.launcher.ConfigKeys.INTERFACE_MTU;
import static io.mlvpn.launcher.ConfigKeys.INTERFACE_NAME;
import static io.mlvpn.launcher.ConfigKeys.INTERFACE_OFFLOAD;
import static io.mlvpn.launcher.ConfigKeys.INTERFACE_PEER;
import static io.mlvpn.launcher.ConfigKeys.INTERFACE_TYPE;
import static io.mlvpn.launcher.ConfigKeys.KEEPALIVE_INTERVAL;
import static io.mlvpn.launcher.ConfigKeys.KEY_FILE;
import static io.mlvpn.launcher.ConfigKeys.KEY_SALT;
import static io.mlvpn.launcher.ConfigKeys.LINK_MTU;
import static io.mlvpn.launcher.ConfigKeys.LINK_PREFIX;
import static io.mlvpn.launcher.ConfigKeys.LINK_TIMEOUT;
import static io.mlvpn.launcher.ConfigKeys.MODE;
import static io.mlvpn.launcher.ConfigKeys.PASSWORD;
import static io.mlvpn.launcher.ConfigKeys.REKEY_INTERVAL;
import static io.mlvpn.launcher.ConfigKeys.REMOTE_HOST;
import static io.mlvpn.launcher.ConfigKeys.REMOTE_PORT;
import static io.mlvpn.launcher.ConfigKeys.STATUS_COMMAND;
import static io.mlvpn.launcher.ConfigKeys.STATUS_COMMAND_TIMEOUT;
import static io.mlvpn.launcher.ConfigKeys.TIMEOUT;
import static io.mlvpn.launcher.ConfigKeys.TRANSPORT;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.Mode;
import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.core.session.Secrets;
import io.mlvpn.launcher.control.ControlSettings;
import io.mlvpn.launcher.control.ControlToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the launcher's properties file (keys in {@code docs/configuration.md}) into a
 * {@link LauncherConfig}. Every error is a {@link ConfigException} naming the key as written in
 * the file; the builders' own errors pass through unchanged. Surrounding whitespace is never part
 * of a value; an empty value is refused, except for the {@code hook.*} keys where it means unset.
 *
 * <p>Links are kept in the order in which their names first appear in the file. Relative paths
 * ({@code key.file}, {@code status.command}) resolve against the directory of the file.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class PropertiesConfig {
    /** Stands in for the secret while the rest is validated, so errors come before slow PBKDF2. */
    private static final byte[] PLACEHOLDER_KEY = new byte[PreSharedKey.LENGTH];

    private final Map<String, String> entries;
    private final Path baseDir;
    private final Path source;
    /** The file whose permissions guard an inline password, or {@code null} when there is none. */
    private final Path passwordHolder;

    private PropertiesConfig(Map<String, String> entries, Path baseDir, Path source, Path passwordHolder) {
        this.entries = entries;
        this.baseDir = baseDir;
        this.source = source;
        this.passwordHolder = passwordHolder;
    }

    /**
     * Reads and validates {@code file} (UTF-8). A file holding an inline {@code password} is refused
     * when group or others have any permission on it.
     *
     * @throws ConfigException naming the first offending key ({@code config} for the file itself)
     */
    public static LauncherConfig parse(Path file) throws ConfigException {
        Map<String, String> entries = ConfigFileReader.read(file);
        Path absolute = file.toAbsolutePath().normalize();
        return new PropertiesConfig(entries, absolute.getParent(), absolute, absolute).build();
    }

    /**
     * Validates already loaded properties. {@link Properties} has no order, so links are taken in
     * alphabetical order of their names; {@link #parse(Path)} keeps the file's order. No file
     * permissions are checked; {@link LauncherConfig#source()} is {@code baseDir}.
     *
     * @param baseDir the directory relative paths resolve against
     * @throws ConfigException naming the first offending key
     */
    public static LauncherConfig parse(Properties props, Path baseDir) throws ConfigException {
        Map<String, String> sorted = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            sorted.put(key, props.getProperty(key));
        }
        Path base = baseDir.toAbsolutePath().normalize();
        return new PropertiesConfig(sorted, base, base, null).build();
    }

    private LauncherConfig build() throws ConfigException {
        Map<String, String> global = new HashMap<>();
        Map<String, Map<String, String>> links = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = e.getKey();
            String value = e.getValue().strip();
            if (key.startsWith(LINK_PREFIX)) {
                int dot = key.indexOf('.', LINK_PREFIX.length());
                if (dot < 0 || !ConfigKeys.isLinkSuffix(key.substring(dot + 1))) {
                    throw ConfigKeys.unknown(key);
                }
                String name = key.substring(LINK_PREFIX.length(), dot);
                links.computeIfAbsent(name, n -> new HashMap<>()).put(key.substring(dot + 1), value);
            } else if (ConfigKeys.GLOBAL.contains(key)) {
                global.put(key, value);
            } else {
                throw ConfigKeys.unknown(key);
            }
            if (value.isEmpty() && !ConfigKeys.HOOK_KEYS.containsKey(key)) {
                throw new ConfigException(key, Reason.INVALID_VALUE, "empty value");
            }
        }

        TunnelConfig.Builder tunnel = TunnelConfig.builder();
        String mode = global.get(MODE);
        if (mode == null) {
            throw new ConfigException(MODE, Reason.MISSING, "required: client or server");
        }
        tunnel.mode(word(MODE, mode, "client", "server").equals("client") ? Mode.CLIENT : Mode.SERVER);
        PreSharedKey keyFromFile = secretSource(global);

        String cipher = global.get(CIPHER);
        if (cipher != null) {
            word(CIPHER, cipher, "aes-256-gcm", "chacha20-poly1305");
            tunnel.cipher(CipherSuite.fromConfigName(cipher));
        }
        String type = global.get(INTERFACE_TYPE);
        if (type != null) {
            tunnel.interfaceType(word(INTERFACE_TYPE, type, "tun", "tap").equals("tun") ? DeviceType.TUN
                    : DeviceType.TAP);
        }
        if (global.containsKey(INTERFACE_NAME)) {
            tunnel.interfaceName(global.get(INTERFACE_NAME));
        }
        if (global.containsKey(INTERFACE_MTU)) {
            tunnel.interfaceMtu(ConfigValues.integer(INTERFACE_MTU, global.get(INTERFACE_MTU), LinkConfig.MIN_MTU,
                    65535));
        }
        tunnel.interfaceAddress(global.get(INTERFACE_ADDRESS));
        tunnel.interfacePeer(global.get(INTERFACE_PEER));
        if (global.containsKey(TIMEOUT)) {
            tunnel.timeout(ConfigValues.duration(TIMEOUT, global.get(TIMEOUT)));
        }
        if (global.containsKey(KEEPALIVE_INTERVAL)) {
            tunnel.keepaliveInterval(ConfigValues.duration(KEEPALIVE_INTERVAL, global.get(KEEPALIVE_INTERVAL)));
        }
        if (global.containsKey(REKEY_INTERVAL)) {
            tunnel.rekeyInterval(ConfigValues.duration(REKEY_INTERVAL, global.get(REKEY_INTERVAL)));
        }
        if (global.containsKey(SCHEDULER)) {
            tunnel.scheduler(word(SCHEDULER, global.get(SCHEDULER), TunnelConfig.SCHEDULERS.toArray(new String[0])));
        }
        if (global.containsKey(REDUNDANT_COPIES)) {
            tunnel.redundantCopies(ConfigValues.integer(REDUNDANT_COPIES, global.get(REDUNDANT_COPIES), 2, 8));
        }
        if (global.containsKey(REORDER)) {
            tunnel.reorder(ConfigValues.bool(REORDER, global.get(REORDER)));
        }
        if (global.containsKey(REORDER_BUFFER_SIZE)) {
            tunnel.reorderBufferPackets(ConfigValues.integer(REORDER_BUFFER_SIZE, global.get(REORDER_BUFFER_SIZE), 0,
                    65536));
        }
        if (global.containsKey(LOSS_TOLERANCE)) {
            tunnel.lossTolerancePercent(ConfigValues.percent(LOSS_TOLERANCE, global.get(LOSS_TOLERANCE)));
        }
        if (global.containsKey(LATENCY_TOLERANCE)) {
            tunnel.latencyToleranceMillis(ConfigValues.millisOrOff(LATENCY_TOLERANCE, global.get(LATENCY_TOLERANCE)));
        }
        for (Map.Entry<String, Map<String, String>> l : links.entrySet()) {
            tunnel.addLink(link(l.getKey(), l.getValue()));
        }

        LauncherConfig.Builder launcher = LauncherConfig.builder().source(source);
        if (global.containsKey(STATUS_COMMAND)) {
            launcher.statusCommand(path(STATUS_COMMAND, global.get(STATUS_COMMAND)));
        }
        if (global.containsKey(STATUS_COMMAND_TIMEOUT)) {
            launcher.statusCommandTimeout(
                    ConfigValues.duration(STATUS_COMMAND_TIMEOUT, global.get(STATUS_COMMAND_TIMEOUT)));
        }
        if (global.containsKey(INTERFACE_OFFLOAD)) {
            launcher.interfaceOffload(ConfigValues.bool(INTERFACE_OFFLOAD, global.get(INTERFACE_OFFLOAD)));
        }
        launcher.control(control(global));
        if (global.containsKey(USER)) {
            String user = global.get(USER);
            if (!user.matches("[a-z_][a-z0-9_.-]{0,31}\\$?")) {
                throw new ConfigException(USER, Reason.INVALID_VALUE, "not a user name (lower-case letters, digits,"
                        + " '_', '.', '-'; at most 32)", user);
            }
            launcher.user(user);
        }
        for (String key : ConfigKeys.GLOBAL) {
            String variable = ConfigKeys.HOOK_KEYS.get(key);
            if (variable != null) {
                launcher.hookVariable(variable, hookValue(key, global.getOrDefault(key, "")));
            }
        }

        PreSharedKey secret = keyFromFile;
        if (secret == null) {
            // Validate everything else first: a mistake should not cost a PBKDF2 run to find.
            launcher.tunnel(tunnel.secret(PreSharedKey.of(PLACEHOLDER_KEY)).build()).build();
            secret = fromPassword(global.get(PASSWORD), global.get(KEY_SALT));
        }
        return launcher.tunnel(tunnel.secret(secret).build()).build();
    }

    /**
     * Checks how the secret is given; reads a key file at once (cheap), or checks the permissions
     * guarding an inline password and returns {@code null}.
     */
    private PreSharedKey secretSource(Map<String, String> global) throws ConfigException {
        String keyFile = global.get(KEY_FILE);
        String password = global.get(PASSWORD);
        if (keyFile != null && password != null) {
            throw new ConfigException(PASSWORD, Reason.CONFLICT, "give key.file or password, not both");
        }
        if (keyFile == null && password == null) {
            throw new ConfigException(KEY_FILE, Reason.MISSING, "a secret is required: key.file (recommended)"
                    + " or password");
        }
        if (keyFile != null) {
            if (global.containsKey(KEY_SALT)) {
                throw new ConfigException(KEY_SALT, Reason.CONFLICT, "key.salt applies to a password only");
            }
            return Secrets.fromKeyFile(path(KEY_FILE, keyFile));
        }
        if (passwordHolder != null) {
            checkPrivate(passwordHolder, PASSWORD, "a password");
        }
        return null;
    }

    private ControlSettings control(Map<String, String> global) throws ConfigException {
        if (!global.containsKey(CONTROL_HTTP) && !global.containsKey(CONTROL_UNIX) && !global.containsKey(CONTROL_TOKEN)) {
            return ControlSettings.NONE;
        }
        ControlToken token = null;
        if (global.containsKey(CONTROL_TOKEN)) {
            if (!global.containsKey(CONTROL_HTTP)) {
                throw new ConfigException(CONTROL_TOKEN, Reason.CONFLICT, "the token allows actions over HTTP: set"
                        + " control.http too, or remove it");
            }
            if (passwordHolder != null) {
                checkPrivate(passwordHolder, CONTROL_TOKEN, "a control token");
            }
            token = ControlToken.of(CONTROL_TOKEN, global.get(CONTROL_TOKEN));
        }
        return ControlSettings.of(
                global.containsKey(CONTROL_HTTP) ? ControlSettings.parseHttp(global.get(CONTROL_HTTP)) : null,
                global.containsKey(CONTROL_UNIX) ? path(CONTROL_UNIX, global.get(CONTROL_UNIX)) : null, token);
    }

    private static String hookValue(String key, String value) throws ConfigException {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ConfigException(key, Reason.INVALID_VALUE, "control character at offset " + i);
            }
        }
        return value;
    }

    private static PreSharedKey fromPassword(String password, String salt) throws ConfigException {
        char[] chars = password.toCharArray();
        try {
            return Secrets.fromPassword(chars, salt);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private LinkConfig link(String name, Map<String, String> values) throws ConfigException {
        LinkConfig.Builder b = LinkConfig.builder(name);
        String p = LINK_PREFIX + name + ".";
        b.bindHost(values.get(BIND_HOST));
        b.bindInterface(values.get(BIND_INTERFACE));
        b.remoteHost(values.get(REMOTE_HOST));
        b.transport(values.get(TRANSPORT));
        if (values.containsKey(BIND_PORT)) {
            b.bindPort(ConfigValues.integer(p + BIND_PORT, values.get(BIND_PORT), 0, 65535));
        }
        if (values.containsKey(REMOTE_PORT)) {
            b.remotePort(ConfigValues.integer(p + REMOTE_PORT, values.get(REMOTE_PORT), 1, 65535));
        }
        if (values.containsKey(LINK_MTU)) {
            b.mtu(ConfigValues.integer(p + LINK_MTU, values.get(LINK_MTU), LinkConfig.MIN_MTU, 65535));
        }
        if (values.containsKey(BANDWIDTH)) {
            b.uploadBitsPerSecond(ConfigValues.bitsPerSecond(p + BANDWIDTH, values.get(BANDWIDTH)));
        }
        if (values.containsKey(LINK_TIMEOUT)) {
            b.timeout(ConfigValues.duration(p + LINK_TIMEOUT, values.get(LINK_TIMEOUT)));
        }
        if (values.containsKey(FALLBACK_ONLY)) {
            b.fallbackOnly(ConfigValues.bool(p + FALLBACK_ONLY, values.get(FALLBACK_ONLY)));
        }
        if (values.containsKey(SOCKET_BUFFER)) {
            b.socketBufferBytes(ConfigValues.bytes(p + SOCKET_BUFFER, values.get(SOCKET_BUFFER),
                    LinkConfig.MIN_SOCKET_BUFFER_BYTES, LinkConfig.MAX_SOCKET_BUFFER_BYTES));
        }
        if (values.containsKey(LOSS_TOLERANCE)) {
            b.lossTolerancePercent(ConfigValues.percent(p + LOSS_TOLERANCE, values.get(LOSS_TOLERANCE)));
        }
        if (values.containsKey(LATENCY_TOLERANCE)) {
            b.latencyToleranceMillis(ConfigValues.millisOrOff(p + LATENCY_TOLERANCE, values.get(LATENCY_TOLERANCE)));
        }
        return b.build();
    }

    /** {@code text} in lower case when it is one of {@code allowed} (case-insensitive). */
    private static String word(String key, String text, String... allowed) throws ConfigException {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a;
            }
        }
        throw new ConfigException(key, Reason.INVALID_VALUE, "one of " + String.join(", ", allowed), text);
    }

    private Path path(String key, String text) throws ConfigException {
        try {
            return baseDir.resolve(Path.of(text)).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(key, Reason.INVALID_VALUE, "not a file name", text);
        }
    }

    /** Refuses a config file holding a secret that group or others can access (any bit). */
    private static void checkPrivate(Path file, String key, String what) throws ConfigException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new ConfigException(key, Reason.UNREADABLE, "cannot read the permissions of " + file
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        for (PosixFilePermission p : perms) {
            if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE
                    && p != PosixFilePermission.OWNER_EXECUTE) {
                throw new ConfigException(key, Reason.INSECURE_PERMISSIONS, file + " holds " + what + " and is"
                        + " accessible to group or others (" + PosixFilePermissions.toString(perms)
                        + "); fix with: chmod 600 " + file);
            }
        }
    }
}
