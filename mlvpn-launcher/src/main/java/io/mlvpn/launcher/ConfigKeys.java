package io.mlvpn.launcher;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of the properties file, and the error for one that is not among them, with a
 * suggestion when it looks like a typo or an MLVPN INI key.
 */
final class ConfigKeys {
    static final String MODE = "mode";
    static final String KEY_FILE = "key.file";
    static final String PASSWORD = "password";
    static final String KEY_SALT = "key.salt";
    static final String CIPHER = "cipher";
    static final String INTERFACE_NAME = "interface.name";
    static final String INTERFACE_TYPE = "interface.type";
    static final String INTERFACE_MTU = "interface.mtu";
    static final String INTERFACE_ADDRESS = "interface.address";
    static final String INTERFACE_PEER = "interface.peer";
    static final String INTERFACE_OFFLOAD = "interface.offload";
    static final String TIMEOUT = "timeout";
    static final String KEEPALIVE_INTERVAL = "keepalive.interval";
    static final String REKEY_INTERVAL = "rekey.interval";
    static final String SCHEDULER = "scheduler";
    static final String REDUNDANT_COPIES = "redundant.copies";
    static final String REORDER = "reorder";
    static final String REORDER_BUFFER_SIZE = "reorder.buffer.size";
    static final String LOSS_TOLERANCE = "loss.tolerance";
    static final String LATENCY_TOLERANCE = "latency.tolerance";
    static final String FALLBACK_ONLY = "fallback.only";
    static final String STATUS_COMMAND = "status.command";
    static final String STATUS_COMMAND_TIMEOUT = "status.command.timeout";
    static final String CONTROL_HTTP = "control.http";
    static final String CONTROL_UNIX = "control.unix";
    static final String CONTROL_TOKEN = "control.token";
    static final String USER = "user";

    /** Hook keys and the variable each one sets. */
    static final Map<String, String> HOOK_KEYS = Map.of(
            "hook.ip4", "IP4", "hook.ip6", "IP6", "hook.ip4.gateway", "IP4_GATEWAY",
            "hook.ip6.gateway", "IP6_GATEWAY", "hook.ip4.routes", "IP4_ROUTES", "hook.ip6.routes", "IP6_ROUTES");

    static final String LINK_PREFIX = "link.";
    static final String BIND_HOST = "bind.host";
    static final String BIND_PORT = "bind.port";
    static final String BIND_INTERFACE = "bind.interface";
    static final String REMOTE_HOST = "remote.host";
    static final String REMOTE_PORT = "remote.port";
    static final String LINK_MTU = "mtu";
    static final String BANDWIDTH = "bandwidth";
    static final String LINK_TIMEOUT = "timeout";
    static final String TRANSPORT = "transport";
    static final String SOCKET_BUFFER = "socket.buffer";

    static final List<String> GLOBAL = List.of(MODE, KEY_FILE, PASSWORD, KEY_SALT, CIPHER, INTERFACE_NAME,
            INTERFACE_TYPE, INTERFACE_MTU, INTERFACE_ADDRESS, INTERFACE_PEER, INTERFACE_OFFLOAD, TIMEOUT, KEEPALIVE_INTERVAL,
            REKEY_INTERVAL, SCHEDULER, REDUNDANT_COPIES, REORDER, REORDER_BUFFER_SIZE, LOSS_TOLERANCE,
            LATENCY_TOLERANCE, STATUS_COMMAND, STATUS_COMMAND_TIMEOUT, CONTROL_HTTP, CONTROL_UNIX, CONTROL_TOKEN, USER,
            "hook.ip4", "hook.ip6", "hook.ip4.gateway",
            "hook.ip6.gateway", "hook.ip4.routes", "hook.ip6.routes");
    static final List<String> LINK = List.of(BIND_HOST, BIND_PORT, BIND_INTERFACE, REMOTE_HOST, REMOTE_PORT,
            LINK_MTU, BANDWIDTH, LINK_TIMEOUT, TRANSPORT, FALLBACK_ONLY, LOSS_TOLERANCE, LATENCY_TOLERANCE,
            SOCKET_BUFFER);

    /** MLVPN INI keys ({@code [general]}) whose meaning has a key here under another name. */
    private static final Map<String, String> MLVPN_GLOBAL = Map.ofEntries(
            Map.entry("statuscommand", STATUS_COMMAND), Map.entry("interface_name", INTERFACE_NAME),
            Map.entry("tuntap", INTERFACE_TYPE), Map.entry("mtu", INTERFACE_MTU), Map.entry("ip4", "hook.ip4"),
            Map.entry("ip6", "hook.ip6"), Map.entry("ip4_gateway", "hook.ip4.gateway"),
            Map.entry("ip6_gateway", "hook.ip6.gateway"), Map.entry("ip4_routes", "hook.ip4.routes"),
            Map.entry("ip6_routes", "hook.ip6.routes"), Map.entry("loss_tolerence", LOSS_TOLERANCE),
            Map.entry("latency_tolerence", LATENCY_TOLERANCE), Map.entry("reorder_buffer_size", REORDER_BUFFER_SIZE),
            Map.entry("control_unix_path", CONTROL_UNIX), Map.entry("control_bind_host", CONTROL_HTTP),
            Map.entry("control_bind_port", CONTROL_HTTP));
    /** MLVPN INI keys of a tunnel section whose meaning has a link key here. */
    private static final Map<String, String> MLVPN_LINK = Map.of(
            "bindhost", BIND_HOST, "bindport", BIND_PORT, "remotehost", REMOTE_HOST, "remoteport", REMOTE_PORT,
            "bandwidth_upload", BANDWIDTH, "fallback_only", FALLBACK_ONLY, "loss_tolerence", LOSS_TOLERANCE,
            "latency_tolerence", LATENCY_TOLERANCE);

    private ConfigKeys() {
    }

    /** Whether {@code suffix} (after {@code link.NAME.}) is a link key. */
    static boolean isLinkSuffix(String suffix) {
        return LINK.contains(suffix);
    }

    /** The {@link Reason#UNKNOWN_KEY} error for {@code key}, with a suggestion when one fits. */
    static ConfigException unknown(String key) {
        if (key.startsWith(LINK_PREFIX) && key.indexOf('.', LINK_PREFIX.length()) < 0) {
            return new ConfigException(key, Reason.UNKNOWN_KEY, "unknown key; link keys are link.NAME.SETTING");
        }
        String suggestion = suggest(key);
        return new ConfigException(key, Reason.UNKNOWN_KEY,
                "unknown key" + (suggestion == null ? "" : "; did you mean " + suggestion + "?"));
    }

    /** The known key {@code key} was probably meant to be, or {@code null}. */
    static String suggest(String key) {
        if (key.startsWith(LINK_PREFIX)) {
            int dot = key.indexOf('.', LINK_PREFIX.length());
            if (dot < 0) {
                return null;
            }
            String prefix = key.substring(0, dot + 1);
            String best = closest(key.substring(dot + 1), LINK, MLVPN_LINK);
            return best == null ? null : prefix + best;
        }
        return closest(key, GLOBAL, MLVPN_GLOBAL);
    }

    private static String closest(String word, List<String> known, Map<String, String> aliases) {
        String lower = word.toLowerCase(Locale.ROOT);
        String alias = aliases.get(lower);
        if (alias != null) {
            return alias;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(lower, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // Two edits catch most typos without suggesting unrelated short keys.
        return bestDistance <= Math.min(2, Math.max(1, word.length() / 3)) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
