package io.mlvpn.launcher;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a properties file keeping the order of its keys and refusing a key given twice, which
 * {@link Properties} alone cannot do. The file is split into logical lines (comments and blank
 * lines dropped, continuation lines joined) and each logical line is handed to
 * {@link Properties#load(java.io.Reader)}, so escapes, separators and whitespace follow the
 * {@code Properties} format exactly. The file is read as UTF-8.
 */
final class ConfigFileReader {
    /** Key used in errors about the file as a whole. */
    static final String FILE_KEY = "config";

    private ConfigFileReader() {
    }

    /**
     * The entries of {@code file} in file order.
     *
     * @throws ConfigException {@link Reason#UNREADABLE} (key {@value #FILE_KEY}) when the file cannot
     *     be read or is not UTF-8; {@link Reason#CONFLICT} when a key appears twice;
     *     {@link Reason#INVALID_VALUE} for a malformed {@code \}{@code uXXXX} escape or a value without a key
     */
    static Map<String, String> read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(FILE_KEY, Reason.UNREADABLE, "not UTF-8 text", file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(FILE_KEY, Reason.UNREADABLE, "no such file", file.toString());
        } catch (AccessDeniedException e) {
            throw new ConfigException(FILE_KEY, Reason.UNREADABLE, "permission denied", file.toString());
        } catch (IOException e) {
            throw new ConfigException(FILE_KEY, Reason.UNREADABLE, "cannot read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", file.toString());
        }
        return parse(text);
    }

    /** The entries of {@code text} in order; see {@link #read(Path)}. */
    static Map<String, String> parse(String text) throws ConfigException {
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        BufferedReader in = new BufferedReader(new StringReader(text));
        StringBuilder logical = new StringBuilder();
        int lineNo = 0;
        int startLine = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (logical.length() == 0) {
                    String s = stripLeading(line);
                    if (s.isEmpty() || s.charAt(0) == '#' || s.charAt(0) == '!') {
                        continue;
                    }
                    startLine = lineNo;
                } else {
                    logical.append('\n');
                }
                logical.append(line);
                if (!continues(line)) {
                    add(logical.toString(), startLine, entries, lineOf);
                    logical.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
        if (logical.length() > 0) {
            // A trailing backslash on the last line continues into nothing; Properties drops it.
            add(logical.toString(), startLine, entries, lineOf);
        }
        return entries;
    }

    private static void add(String logicalLine, int line, Map<String, String> entries, Map<String, Integer> lineOf)
            throws ConfigException {
        Properties one = new Properties();
        try {
            one.load(new StringReader(logicalLine));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FILE_KEY, Reason.INVALID_VALUE, "line " + line + ": malformed \\uXXXX escape");
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
        for (String key : one.stringPropertyNames()) {
            if (key.isEmpty()) {
                // "= value": no key to name, so the error names the line.
                throw new ConfigException(FILE_KEY, Reason.INVALID_VALUE, "line " + line + ": a value without a key");
            }
            Integer first = lineOf.putIfAbsent(key, line);
            if (first != null) {
                throw new ConfigException(key, Reason.CONFLICT, "given twice, on lines " + first + " and " + line);
            }
            entries.put(key, one.getProperty(key));
        }
    }

    /** Whether a line ends in an odd number of backslashes, which continues it on the next line. */
    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return (n & 1) == 1;
    }

    /** Strips what Properties counts as leading whitespace: space, tab, form feed. */
    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
            i++;
        }
        return s.substring(i);
    }
}
