package io.mlvpn.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configures the launcher's slf4j binding (slf4j-simple) from the command line. It must run before
 * the first logger is created: slf4j-simple reads its {@code org.slf4j.simpleLogger.*} system
 * properties once, when it starts. A property already set (for example with {@code -D} on the
 * {@code java} command line) is left alone, so an operator can still tune single loggers.
 *
 * <p>Output goes to standard error (the journal, under systemd), one line per event:
 * {@code 2024-05-01 12:00:00.123 INFO BondedTunnel - tunnel down -> up}; with {@code --debug}
 * the thread name follows the time.
 */
final class LogSetup {
    /** The prefix of slf4j-simple's configuration properties. */
    static final String PREFIX = "org.slf4j.simpleLogger.";

    private LogSetup() {
    }

    /** The properties for a verbosity ({@code -v} count) and {@code --debug}, in a stable order. */
    static Map<String, String> properties(int verbosity, boolean debug) {
        String level;
        if (verbosity >= 2) {
            level = "trace";
        } else if (verbosity == 1 || debug) {
            level = "debug";
        } else {
            level = "info";
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PREFIX + "defaultLogLevel", level);
        p.put(PREFIX + "logFile", "System.err");
        p.put(PREFIX + "showDateTime", "true");
        p.put(PREFIX + "dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        p.put(PREFIX + "showThreadName", Boolean.toString(debug));
        p.put(PREFIX + "showLogName", "false");
        p.put(PREFIX + "showShortLogName", "true");
        return p;
    }

    /** Sets every property of {@link #properties} that is not set yet. */
    static void apply(int verbosity, boolean debug) {
        for (Map.Entry<String, String> e : properties(verbosity, debug).entrySet()) {
            if (System.getProperty(e.getKey()) == null) {
                System.setProperty(e.getKey(), e.getValue());
            }
        }
    }
}
