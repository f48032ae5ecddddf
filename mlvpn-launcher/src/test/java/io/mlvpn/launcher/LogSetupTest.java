package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSetupTest {
    private static String level(Map<String, String> p) {
        return p.get(LogSetup.PREFIX + "defaultLogLevel");
    }

    @Test
    void verbosityRaisesTheLevel() {
        assertEquals("info", level(LogSetup.properties(0, false)));
        assertEquals("debug", level(LogSetup.properties(1, false)));
        assertEquals("trace", level(LogSetup.properties(2, false)));
        assertEquals("trace", level(LogSetup.properties(5, true)));
    }

    @Test
    void debugShowsThreadNamesAndDebugLines() {
        Map<String, String> p = LogSetup.properties(0, true);
        assertEquals("debug", level(p));
        assertEquals("true", p.get(LogSetup.PREFIX + "showThreadName"));
        assertEquals("false", LogSetup.properties(1, false).get(LogSetup.PREFIX + "showThreadName"));
    }

    @Test
    void logsToStandardErrorWithTimeAndShortNames() {
        Map<String, String> p = LogSetup.properties(0, false);
        assertEquals("System.err", p.get(LogSetup.PREFIX + "logFile"));
        assertEquals("true", p.get(LogSetup.PREFIX + "showDateTime"));
        assertEquals("true", p.get(LogSetup.PREFIX + "showShortLogName"));
    }

    @Test
    void aPropertyAlreadySetIsKept() {
        String key = LogSetup.PREFIX + "dateTimeFormat";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "HH:mm");
            LogSetup.apply(0, false);
            assertEquals("HH:mm", System.getProperty(key));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
