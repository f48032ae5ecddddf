package io.mlvpn.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parsed command line. Instances are immutable; {@link #parse(String...)} is the only way to
 * make one.
 *
 * <pre>
 * mlvpn [options] CONFIG              run a tunnel
 * mlvpn [options] --check CONFIG      validate CONFIG and exit
 * mlvpn [options] demo [--seconds N]  run a client and a server in this process
 * mlvpn [options] genkey FILE         write a new random key file (mode 600)
 * mlvpn [options] status [--json] [--socket PATH | -c CONFIG]   show the running tunnel
 * mlvpn [options] links [--json] [--socket PATH | -c CONFIG]    show its links
 * mlvpn [options] reload [--socket PATH | -c CONFIG]            reload its configuration
 * </pre>
 *
 * <p>The config file is given as the positional argument or with {@code -c/--config}, not both.
 * The first positional word {@code demo}, {@code genkey}, {@code status}, {@code links} or
 * {@code reload} is a command; any other word of
 * lower-case letters only is refused as an unknown command, so a config file with such a name is
 * written {@code ./name}. Long options take their value as the next argument or after {@code =};
 * short flags may be grouped ({@code -vv}); {@code --} ends the options.
 */
public final class CommandLine {
    /** The default of {@code --name}. */
    public static final String DEFAULT_NAME = "mlvpn";
    /** Longest accepted {@code demo --seconds}. */
    public static final int MAX_DEMO_SECONDS = 86_400;

    /** What the launcher was asked to do. */
    public enum Command {
        /** Print the usage text ({@code -h/--help}); wins over everything else. */
        HELP,
        /** Print the version ({@code -V/--version}). */
        VERSION,
        /** Run a tunnel from the config file. */
        RUN,
        /** Validate the config file only ({@code --check}). */
        CHECK,
        /** Run the in-process demonstration ({@code demo}). */
        DEMO,
        /** Write a new key file ({@code genkey FILE}). */
        GENKEY,
        /** Show the running tunnel, from its control socket ({@code status}). */
        STATUS,
        /** Show the running tunnel's links ({@code links}). */
        LINKS,
        /** Ask the running tunnel to reload its configuration ({@code reload}). */
        RELOAD;

        /** Whether the command talks to a running tunnel through its control socket. */
        public boolean usesControlSocket() {
            return this == STATUS || this == LINKS || this == RELOAD;
        }
    }

    private final Command command;
    private final Path configFile;
    private final Path keyFile;
    private final int demoSeconds;
    private final int verbosity;
    private final boolean debug;
    private final String name;
    private final Path socket;
    private final boolean json;

    private CommandLine(Command command, Path configFile, Path keyFile, int demoSeconds, int verbosity,
            boolean debug, String name) {
        this(command, configFile, keyFile, demoSeconds, verbosity, debug, name, null, false);
    }

    private CommandLine(Command command, Path configFile, Path keyFile, int demoSeconds, int verbosity,
            boolean debug, String name, Path socket, boolean json) {
        this.socket = socket;
        this.json = json;
        this.command = command;
        this.configFile = configFile;
        this.keyFile = keyFile;
        this.demoSeconds = demoSeconds;
        this.verbosity = verbosity;
        this.debug = debug;
        this.name = name;
    }

    /**
     * Parses {@code args}.
     *
     * @throws UsageException naming the first problem: an unknown option or command, a missing or
     *     bad option value, a missing or superfluous argument, or options that exclude each other
     */
    public static CommandLine parse(String... args) throws UsageException {
        return new Parser(args).parse();
    }

    /** The usage text, several lines, ending with a newline. */
    public static String usage() {
        return "usage: mlvpn [options] CONFIG.properties\n"
                + "       mlvpn [options] --check CONFIG.properties\n"
                + "       mlvpn [options] demo [--seconds N]\n"
                + "       mlvpn [options] genkey FILE\n"
                + "       mlvpn [options] status [--json] [--socket PATH | -c CONFIG]\n"
                + "       mlvpn [options] links [--json] [--socket PATH | -c CONFIG]\n"
                + "       mlvpn [options] reload [--socket PATH | -c CONFIG]\n"
                + "\n"
                + "options:\n"
                + "  -c, --config FILE   the configuration file (instead of the positional CONFIG)\n"
                + "      --check         validate the configuration, print \"FILE: ok\", and exit\n"
                + "  -n, --name NAME     instance name for threads and logs (default " + DEFAULT_NAME + ")\n"
                + "  -v, --verbose       more log output; repeat for even more\n"
                + "      --debug         debug log output\n"
                + "  -V, --version       print the version and exit\n"
                + "  -h, --help          print this text and exit\n"
                + "\n"
                + "commands:\n"
                + "  demo [--seconds N]  run a client and a server in this process for N seconds (1.."
                + MAX_DEMO_SECONDS + ")\n"
                + "  genkey FILE         write a new random key to FILE with mode 600; never overwrites\n"
                + "  status              show the running tunnel: state, links, rates, RTTs, reasons, failovers\n"
                + "  links               show the running tunnel's links\n"
                + "  reload              make the running tunnel reload its configuration (as SIGHUP)\n"
                + "                      These three use the control socket: --socket PATH, else control.unix\n"
                + "                      of -c CONFIG, else " + io.mlvpn.launcher.control.ControlSettings.DEFAULT_UNIX_PATH
                + "; --json prints the JSON as received\n"
                + "\n"
                + "exit status: 0 ok, 1 failure at run time, 2 usage or configuration error\n";
    }

    /** The control socket given with {@code --socket}. */
    public Optional<Path> socket() {
        return Optional.ofNullable(socket);
    }

    /** Whether {@code --json} was given ({@code status}, {@code links}). */
    public boolean json() {
        return json;
    }

    /** What to do. */
    public Command command() {
        return command;
    }

    /** The configuration file; present for {@link Command#RUN} and {@link Command#CHECK}. */
    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    /** The file {@code genkey} writes; present for {@link Command#GENKEY} only. */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /** {@code demo --seconds N}; empty when not given (the launcher picks the default). */
    public OptionalInt demoSeconds() {
        return demoSeconds == 0 ? OptionalInt.empty() : OptionalInt.of(demoSeconds);
    }

    /** How often {@code -v/--verbose} was given; 0 when never. */
    public int verbosity() {
        return verbosity;
    }

    /** Whether {@code --debug} was given. */
    public boolean debug() {
        return debug;
    }

    /** The instance name ({@code -n/--name}), default {@value #DEFAULT_NAME}. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CommandLine)) {
            return false;
        }
        CommandLine c = (CommandLine) o;
        return demoSeconds == c.demoSeconds && verbosity == c.verbosity && debug == c.debug && command == c.command
                && json == c.json && Objects.equals(socket, c.socket)
                && Objects.equals(configFile, c.configFile) && Objects.equals(keyFile, c.keyFile)
                && name.equals(c.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, configFile, keyFile, demoSeconds, verbosity, debug, name, socket, json);
    }

    @Override
    public String toString() {
        return "CommandLine[command=" + command + (configFile == null ? "" : ", config=" + configFile)
                + (keyFile == null ? "" : ", keyFile=" + keyFile)
                + (demoSeconds == 0 ? "" : ", demoSeconds=" + demoSeconds) + ", verbosity=" + verbosity
                + ", debug=" + debug + ", name=" + name + (socket == null ? "" : ", socket=" + socket)
                + (json ? ", json" : "") + "]";
    }

    /** One pass over the arguments; holds the partial result. */
    private static final class Parser {
        private final String[] args;
        private int next;
        private boolean help;
        private boolean version;
        private boolean check;
        private Command subcommand;
        private String configOption;
        private String positional;
        private String keyFile;
        private int demoSeconds;
        private int verbosity;
        private boolean debug;
        private String name;
        private String socket;
        private boolean json;

        Parser(String[] args) {
            this.args = args.clone();
        }

        CommandLine parse() throws UsageException {
            boolean optionsEnded = false;
            while (next < args.length) {
                String a = Objects.requireNonNull(args[next++], "argument");
                if (optionsEnded || a.equals("-") || !a.startsWith("-")) {
                    operand(a, optionsEnded);
                } else if (a.equals("--")) {
                    optionsEnded = true;
                } else if (a.startsWith("--")) {
                    longOption(a);
                } else {
                    shortOptions(a);
                }
            }
            return build();
        }

        private void longOption(String arg) throws UsageException {
            int eq = arg.indexOf('=');
            String opt = eq < 0 ? arg : arg.substring(0, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            switch (opt) {
                case "--config":
                    setConfigOption(value(opt, inline));
                    break;
                case "--name":
                    setName(value(opt, inline));
                    break;
                case "--seconds":
                    setSeconds(value(opt, inline));
                    break;
                case "--check":
                    check = flag(opt, inline);
                    break;
                case "--json":
                    json = flag(opt, inline);
                    break;
                case "--socket":
                    if (socket != null) {
                        throw new UsageException("--socket given twice");
                    }
                    socket = value(opt, inline);
                    break;
                case "--help":
                    help = flag(opt, inline);
                    break;
                case "--version":
                    version = flag(opt, inline);
                    break;
                case "--verbose":
                    flag(opt, inline);
                    verbosity++;
                    break;
                case "--debug":
                    debug = flag(opt, inline);
                    break;
                default:
                    throw new UsageException("unknown option: " + opt);
            }
        }

        private void shortOptions(String arg) throws UsageException {
            for (int i = 1; i < arg.length(); i++) {
                char c = arg.charAt(i);
                switch (c) {
                    case 'h':
                        help = true;
                        break;
                    case 'V':
                        version = true;
                        break;
                    case 'v':
                        verbosity++;
                        break;
                    case 'c':
                    case 'n':
                        // The rest of the group, or else the next argument, is the value: -cFILE, -c FILE.
                        String rest = i + 1 < arg.length() ? arg.substring(i + 1) : null;
                        String v = value("-" + c, rest);
                        if (c == 'c') {
                            setConfigOption(v);
                        } else {
                            setName(v);
                        }
                        return;
                    default:
                        throw new UsageException("unknown option: -" + c);
                }
            }
        }

        private void operand(String a, boolean optionsEnded) throws UsageException {
            if (subcommand == null && positional == null && !optionsEnded) {
                if (a.equals("demo")) {
                    subcommand = Command.DEMO;
                    return;
                }
                if (a.equals("genkey")) {
                    subcommand = Command.GENKEY;
                    return;
                }
                if (a.equals("status") || a.equals("links") || a.equals("reload")) {
                    subcommand = Command.valueOf(a.toUpperCase(java.util.Locale.ROOT));
                    return;
                }
                if (a.matches("[a-z]+")) {
                    throw new UsageException("unknown command: " + a + " (a config file in the current directory"
                            + " is written ./" + a + ")");
                }
            }
            if (subcommand == Command.GENKEY) {
                if (keyFile != null) {
                    throw new UsageException("genkey takes one FILE; extra argument: " + a);
                }
                keyFile = a;
                return;
            }
            if (subcommand == Command.DEMO) {
                throw new UsageException("demo takes no file; extra argument: " + a);
            }
            if (subcommand != null && subcommand.usesControlSocket()) {
                throw new UsageException(word(subcommand) + " takes no argument (the configuration is -c CONFIG): " + a);
            }
            if (positional != null) {
                throw new UsageException("one config file only; extra argument: " + a);
            }
            positional = a;
        }

        private String value(String opt, String inline) throws UsageException {
            if (inline != null) {
                if (inline.isEmpty()) {
                    throw new UsageException(opt + " needs a value");
                }
                return inline;
            }
            if (next >= args.length) {
                throw new UsageException(opt + " needs a value");
            }
            return args[next++];
        }

        private static boolean flag(String opt, String inline) throws UsageException {
            if (inline != null) {
                throw new UsageException(opt + " takes no value");
            }
            return true;
        }

        private void setConfigOption(String v) throws UsageException {
            if (configOption != null) {
                throw new UsageException("-c/--config given twice");
            }
            configOption = v;
        }

        private void setName(String v) throws UsageException {
            if (name != null) {
                throw new UsageException("-n/--name given twice");
            }
            if (!v.matches("[A-Za-z0-9_.@-]{1,32}")) {
                throw new UsageException("--name: 1 to 32 letters, digits, '_', '.', '@' or '-': \"" + v + "\"");
            }
            name = v;
        }

        private void setSeconds(String v) throws UsageException {
            if (subcommand != Command.DEMO) {
                throw new UsageException("--seconds is an option of demo: mlvpn demo --seconds N");
            }
            if (demoSeconds != 0) {
                throw new UsageException("--seconds given twice");
            }
            if (!v.matches("\\d{1,9}")) {
                throw new UsageException("--seconds: not a whole number of seconds: \"" + v + "\"");
            }
            int s = Integer.parseInt(v);
            if (s < 1 || s > MAX_DEMO_SECONDS) {
                throw new UsageException("--seconds: outside 1.." + MAX_DEMO_SECONDS + ": " + v);
            }
            demoSeconds = s;
        }

        private CommandLine build() throws UsageException {
            String resolvedName = name == null ? DEFAULT_NAME : name;
            if (help || version) {
                return new CommandLine(help ? Command.HELP : Command.VERSION, null, null, 0, verbosity, debug,
                        resolvedName);
            }
            if (configOption != null && positional != null) {
                throw new UsageException("config file given twice: -c " + configOption + " and " + positional);
            }
            String config = configOption != null ? configOption : positional;
            if (subcommand != null && subcommand.usesControlSocket()) {
                if (check) {
                    throw new UsageException("--check applies to a config file, not to " + word(subcommand));
                }
                if (socket != null && config != null) {
                    throw new UsageException("give --socket or -c, not both");
                }
                if (json && subcommand == Command.RELOAD) {
                    throw new UsageException("--json applies to status and links");
                }
                return new CommandLine(subcommand, config == null ? null : path(config), null, 0, verbosity, debug,
                        resolvedName, socket == null ? null : path(socket), json);
            }
            if (socket != null || json) {
                throw new UsageException((json ? "--json" : "--socket") + " applies to status, links and reload");
            }
            if (subcommand != null) {
                if (check) {
                    throw new UsageException("--check applies to a config file, not to " + word(subcommand));
                }
                if (config != null) {
                    throw new UsageException(word(subcommand) + " takes no config file: " + config);
                }
                if (subcommand == Command.GENKEY) {
                    if (keyFile == null) {
                        throw new UsageException("genkey needs a FILE: mlvpn genkey FILE");
                    }
                    return new CommandLine(Command.GENKEY, null, path(keyFile), 0, verbosity, debug, resolvedName);
                }
                return new CommandLine(Command.DEMO, null, null, demoSeconds, verbosity, debug, resolvedName);
            }
            if (config == null) {
                throw new UsageException(check ? "--check needs a config file" : "a config file is required");
            }
            return new CommandLine(check ? Command.CHECK : Command.RUN, path(config), null, 0, verbosity, debug,
                    resolvedName);
        }

        private static String word(Command c) {
            return c.name().toLowerCase(java.util.Locale.ROOT);
        }

        private static Path path(String s) throws UsageException {
            try {
                return Path.of(s);
            } catch (InvalidPathException e) {
                throw new UsageException("not a file name: \"" + s + "\"");
            }
        }
    }
}
