package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigFileReaderTest {
    /** Inputs where the line splitting could differ from Properties; values must agree with it. */
    private static final List<String> TRICKY = List.of(
            "a=1\nb = 2\nc:3\nd 4\n",
            "  indented = yes\n\tb\t=\ttab\n",
            "# comment\n! bang comment\n\n   \nx=1",
            "# comment ending in a backslash \\\nnot.continued = 1\n",
            "long = one, \\\n       two, \\\n       three\nnext = 4\n",
            "even = ends in two backslashes \\\\\nother = 5\n",
            "esc = tab\\there\\nnewline \\u0041 \\= \\:\ncolon\\:key = v\n",
            "key.only\nempty =\n",
            "cont.comment = a \\\n# not a comment here\nz = 1\n",
            "windows = 1\r\nline = 2\r\n",
            "last = no newline at end \\",
            "spaces\\ in\\ key = v\n");

    @Test
    void agreesWithPropertiesOnTrickyInput() throws Exception {
        for (String text : TRICKY) {
            Properties p = new Properties();
            p.load(new StringReader(text));
            Map<String, String> expected = new HashMap<>();
            for (String k : p.stringPropertyNames()) {
                expected.put(k, p.getProperty(k));
            }
            assertEquals(expected, new HashMap<>(ConfigFileReader.parse(text)), text);
        }
    }

    @Test
    void keepsFileOrder() throws Exception {
        Map<String, String> m = ConfigFileReader.parse("z=1\na=2\nm = 3 \\\n  4\nb=5\n");
        assertEquals(List.of("z", "a", "m", "b"), List.copyOf(m.keySet()));
        assertEquals("3 4", m.get("m"));
    }

    @Test
    void refusesAKeyGivenTwiceNamingBothLines() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFileReader.parse("a=1\n# x\nb = 2 \\\n 3\na : 4\n"));
        assertEquals("a", e.key());
        assertEquals(Reason.CONFLICT, e.reason());
        assertEquals("a: given twice, on lines 1 and 5", e.getMessage());
    }

    @Test
    void refusesAValueWithoutAKeyNamingTheLine() {
        // Found by ConfigFuzzTest: "= 5" used to give an unknown-key error for the empty key.
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.parse("a=1\n  = 5\n"));
        assertEquals("config", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("config: line 2: a value without a key", e.getMessage());
    }

    @Test
    void refusesEscapedDuplicates() {
        // Two spellings of one key are still one key.
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.parse("ab=1\n\\u0061b=2\n"));
        assertEquals("ab", e.key());
    }

    @Test
    void malformedUnicodeEscapeNamesTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.parse("a=1\nb=\\u12\n"));
        assertEquals("config", e.key());
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("config: line 2: malformed \\uXXXX escape", e.getMessage());
    }
}
