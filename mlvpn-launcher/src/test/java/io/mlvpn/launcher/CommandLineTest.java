package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.launcher.CommandLine.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {
    @Test
    void positionalConfigRuns() throws UsageException {
        CommandLine c = CommandLine.parse("client.properties");
        assertEquals(Command.RUN, c.command());
        assertEquals(Optional.of(Path.of("client.properties")), c.configFile());
        assertEquals(Optional.empty(), c.keyFile());
        assertEquals(OptionalInt.empty(), c.demoSeconds());
        assertEquals(0, c.verbosity());
        assertFalse(c.debug());
        assertEquals("mlvpn", c.name());
    }

    @Test
    void configOptionForms() throws UsageException {
        Path p = Path.of("/etc/mlvpn/a.properties");
        assertEquals(Optional.of(p), CommandLine.parse("-c", p.toString()).configFile());
        assertEquals(Optional.of(p), CommandLine.parse("--config", p.toString()).configFile());
        assertEquals(Optional.of(p), CommandLine.parse("--config=" + p).configFile());
        assertEquals(Optional.of(p), CommandLine.parse("-c" + p).configFile());
    }

    @Test
    void check() throws UsageException {
        CommandLine c = CommandLine.parse("--check", "a.properties");
        assertEquals(Command.CHECK, c.command());
        assertEquals(Optional.of(Path.of("a.properties")), c.configFile());
        assertEquals(Command.CHECK, CommandLine.parse("-c", "a.properties", "--check").command());
    }

    @Test
    void helpAndVersion() throws UsageException {
        assertEquals(Command.HELP, CommandLine.parse("-h").command());
        assertEquals(Command.HELP, CommandLine.parse("--help").command());
        assertEquals(Command.VERSION, CommandLine.parse("-V").command());
        assertEquals(Command.VERSION, CommandLine.parse("--version").command());
        // Help wins and needs no config file.
        assertEquals(Command.HELP, CommandLine.parse("a.properties", "--version", "--help").command());
        assertEquals(Command.HELP, CommandLine.parse("genkey", "-h").command());
    }

    @Test
    void verbosityCountsEveryForm() throws UsageException {
        assertEquals(1, CommandLine.parse("-v", "a.properties").verbosity());
        assertEquals(3, CommandLine.parse("-vv", "--verbose", "a.properties").verbosity());
        assertEquals(2, CommandLine.parse("a.properties", "-v", "-v").verbosity());
    }

    @Test
    void groupedShortFlags() throws UsageException {
        CommandLine c = CommandLine.parse("-vvc", "a.properties");
        assertEquals(2, c.verbosity());
        assertEquals(Optional.of(Path.of("a.properties")), c.configFile());
    }

    @Test
    void debugAndName() throws UsageException {
        CommandLine c = CommandLine.parse("--debug", "--name", "office", "a.properties");
        assertTrue(c.debug());
        assertEquals("office", c.name());
        assertEquals("home", CommandLine.parse("-n", "home", "a.properties").name());
        assertEquals("x-1", CommandLine.parse("--name=x-1", "a.properties").name());
    }

    @Test
    void demo() throws UsageException {
        CommandLine c = CommandLine.parse("demo");
        assertEquals(Command.DEMO, c.command());
        assertEquals(OptionalInt.empty(), c.demoSeconds());
        assertEquals(Optional.empty(), c.configFile());
        assertEquals(OptionalInt.of(30), CommandLine.parse("demo", "--seconds", "30").demoSeconds());
        assertEquals(OptionalInt.of(5), CommandLine.parse("-v", "demo", "--seconds=5", "--debug").demoSeconds());
    }

    @Test
    void genkey() throws UsageException {
        CommandLine c = CommandLine.parse("genkey", "/etc/mlvpn/mlvpn.key");
        assertEquals(Command.GENKEY, c.command());
        assertEquals(Optional.of(Path.of("/etc/mlvpn/mlvpn.key")), c.keyFile());
        assertEquals(Optional.empty(), c.configFile());
    }

    @Test
    void doubleDashEndsOptions() throws UsageException {
        assertEquals(Optional.of(Path.of("-odd.properties")), CommandLine.parse("--", "-odd.properties").configFile());
        // After --, even a command word is a file name.
        assertEquals(Optional.of(Path.of("demo")), CommandLine.parse("--", "demo").configFile());
    }

    @Test
    void configFileNamedLikeACommandIsWrittenWithAPath() throws UsageException {
        assertEquals(Optional.of(Path.of("./demo")), CommandLine.parse("./demo").configFile());
    }

    @Test
    void valueObject() throws UsageException {
        assertEquals(CommandLine.parse("-v", "a.properties"), CommandLine.parse("--verbose", "a.properties"));
        assertEquals(CommandLine.parse("-v", "a.properties").hashCode(),
                CommandLine.parse("--verbose", "a.properties").hashCode());
        assertTrue(CommandLine.parse("-v", "a.properties").toString().contains("config=a.properties"));
    }

    @Test
    void argumentsArrayIsCopied() throws UsageException {
        String[] args = {"a.properties"};
        CommandLine c = CommandLine.parse(args);
        args[0] = "b.properties";
        assertEquals(Optional.of(Path.of("a.properties")), c.configFile());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                  | a config file is required",
        "--check                             | --check needs a config file",
        "--frobnicate a.properties           | unknown option: --frobnicate",
        "-x a.properties                     | unknown option: -x",
        "-vx a.properties                    | unknown option: -x",
        "-c                                  | -c needs a value",
        "--config                            | --config needs a value",
        "--config= a.properties              | --config needs a value",
        "--name                              | --name needs a value",
        "--check=yes a.properties            | --check takes no value",
        "--verbose=2 a.properties            | --verbose takes no value",
        "a.properties b.properties           | one config file only; extra argument: b.properties",
        "-c a.properties b.properties        | config file given twice: -c a.properties and b.properties",
        "-c a.properties -c b.properties     | -c/--config given twice",
        "--name 'bad name' a.properties      | --name: 1 to 32 letters, digits, '_', '.', '@' or '-': \"bad name\"",
        "-n a -n b a.properties              | -n/--name given twice",
        "start                               | unknown command: start (a config file in the current directory is written ./start)",
        "genkey                              | genkey needs a FILE: mlvpn genkey FILE",
        "genkey a.key b.key                  | genkey takes one FILE; extra argument: b.key",
        "genkey a.key -c a.properties        | genkey takes no config file: a.properties",
        "--check genkey a.key                | --check applies to a config file, not to genkey",
        "demo a.properties                   | demo takes no file; extra argument: a.properties",
        "--check demo                        | --check applies to a config file, not to demo",
        "demo --seconds                      | --seconds needs a value",
        "demo --seconds ten                  | --seconds: not a whole number of seconds: \"ten\"",
        "demo --seconds -5                   | --seconds: not a whole number of seconds: \"-5\"",
        "demo --seconds 0                    | --seconds: outside 1..86400: 0",
        "demo --seconds 86401                | --seconds: outside 1..86400: 86401",
        "demo --seconds 9999999999           | --seconds: not a whole number of seconds: \"9999999999\"",
        "demo --seconds 1 --seconds 2        | --seconds given twice",
        "--seconds 5 demo                    | --seconds is an option of demo: mlvpn demo --seconds N",
        "--seconds 5 a.properties            | --seconds is an option of demo: mlvpn demo --seconds N",
    })
    void usageErrors(String argLine, String message) {
        String[] args = argLine.isEmpty() ? new String[0] : splitKeepingQuotes(argLine);
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args), argLine);
        assertEquals(message, e.getMessage());
    }

    /** Splits on spaces, keeping 'single quoted' words together. */
    private static String[] splitKeepingQuotes(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out.toArray(new String[0]);
    }

    @Test
    void usageTextMentionsEveryOption() {
        String u = CommandLine.usage();
        for (String opt : new String[] {"--config", "--check", "--name", "--verbose", "--debug", "--version", "--help",
            "demo", "--seconds", "genkey"}) {
            assertTrue(u.contains(opt), opt);
        }
        assertTrue(u.endsWith("\n"));
    }
}
