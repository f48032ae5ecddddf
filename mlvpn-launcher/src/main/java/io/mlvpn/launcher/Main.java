package io.mlvpn.launcher;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.core.session.Secrets;
import io.mlvpn.launcher.control.ControlClient;
import io.mlvpn.launcher.control.ControlSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mlvpn} command: {@code java -jar mlvpn-launcher.jar [options] CONFIG.properties}.
 * See {@link CommandLine#usage()} for the forms and the package description for exit codes.
 */
public final class Main {
    /** Success. */
    static final int EXIT_OK = 0;
    /** A failure at run time. */
    static final int EXIT_FAILURE = 1;
    /** A usage or configuration error. */
    static final int EXIT_USAGE = 2;
    /** How long a JVM shutdown not started by a signal waits for the orderly stop. */
    private static final Duration SHUTDOWN_HOOK_WAIT = Duration.ofSeconds(20);

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its status.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line, writing to {@code out} and {@code err}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println("mlvpn: " + e.getMessage());
            err.print(CommandLine.usage());
            return EXIT_USAGE;
        }
        // Before anything creates a logger: slf4j-simple reads its settings once.
        LogSetup.apply(cl.verbosity(), cl.debug());
        switch (cl.command()) {
            case HELP:
                out.print(CommandLine.usage());
                return EXIT_OK;
            case VERSION:
                out.println("mlvpn-java " + version());
                return EXIT_OK;
            case CHECK:
                return check(cl.configFile().orElseThrow(), out, err);
            case GENKEY:
                return genkey(cl.keyFile().orElseThrow(), out, err);
            case RUN:
                return runTunnel(cl, err);
            case DEMO:
                return Demo.run(cl.demoSeconds().orElse(Demo.DEFAULT_SECONDS), out, err);
            case STATUS:
            case LINKS:
            case RELOAD:
                return control(cl, out, err);
            default:
                throw new IllegalStateException("unhandled command " + cl.command());
        }
    }

    /** Runs the tunnel until SIGTERM or SIGINT, reloading on SIGHUP. */
    private static int runTunnel(CommandLine cl, PrintStream err) {
        Path file = cl.configFile().orElseThrow();
        LauncherConfig config;
        try {
            config = PropertiesConfig.parse(file);
        } catch (ConfigException e) {
            err.println(file + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        Logger log = LoggerFactory.getLogger(cl.name());
        log.info("mlvpn-java {} starting with {}", version(), config.source());
        TunnelSupervisor supervisor = TunnelSupervisor.standard(config, cl.name(), log);
        try {
            supervisor.start();
        } catch (IOException | RuntimeException e) {
            err.println("mlvpn: cannot start: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (config.user().isPresent()) {
            try {
                supervisor.dropPrivileges(config.user().get());
            } catch (IOException | RuntimeException e) {
                err.println("mlvpn: cannot drop privileges: " + e.getMessage());
                supervisor.requestStop("privilege drop failed");
                supervisor.serve();
                return EXIT_FAILURE;
            }
        }
        // After the start: a signal during it ends the JVM the default way, which also releases
        // everything, and a failed start leaves the JVM's handlers alone.
        Map<String, Runnable> handlers = new LinkedHashMap<>();
        handlers.put("TERM", () -> supervisor.requestStop("SIGTERM"));
        handlers.put("INT", () -> supervisor.requestStop("SIGINT"));
        handlers.put("HUP", supervisor::requestReload);
        for (String problem : SignalHandlers.install(handlers)) {
            log.warn("signal handler not installed: {}", problem);
        }
        // A safety net for a JVM shutdown that is not one of our signals (System.exit elsewhere,
        // signals that could not be handled): still stop in order, briefly.
        Thread hook = new Thread(() -> {
            supervisor.requestStop("JVM shutdown");
            try {
                supervisor.awaitStopped(SHUTDOWN_HOOK_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, cl.name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        supervisor.serve();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook has run or runs; nothing left to do.
        }
        return supervisor.failed() ? EXIT_FAILURE : EXIT_OK;
    }

    /** Longest wait for the running tunnel's answer (a reload waits for the main thread). */
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(40);

    /** {@code status}, {@code links}, {@code reload}: ask the running tunnel over its control socket. */
    private static int control(CommandLine cl, PrintStream out, PrintStream err) {
        Path socket;
        try {
            socket = controlSocket(cl);
        } catch (ConfigException e) {
            err.println(cl.configFile().orElseThrow() + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        String command = cl.command().name().toLowerCase(java.util.Locale.ROOT);
        String answer;
        try {
            answer = ControlClient.query(socket, command, CONTROL_TIMEOUT);
        } catch (IOException e) {
            err.println("mlvpn: cannot reach the tunnel at " + socket + ": " + e.getMessage()
                    + " (is it running, with control.unix = " + socket + "?)");
            return EXIT_FAILURE;
        }
        try {
            String error = ControlClient.error(answer);
            if (error != null) {
                err.println("mlvpn: " + command + ": " + error);
                return EXIT_FAILURE;
            }
            if (cl.json()) {
                out.print(answer.endsWith("\n") ? answer : answer + "\n");
            } else if (cl.command() == CommandLine.Command.STATUS) {
                out.print(ControlClient.statusTable(answer));
            } else if (cl.command() == CommandLine.Command.LINKS) {
                out.print(ControlClient.linksTable(answer));
            } else {
                out.print(ControlClient.actionText(answer));
            }
        } catch (IllegalArgumentException e) {
            err.println("mlvpn: " + command + ": unexpected answer from " + socket + ": " + e.getMessage());
            return EXIT_FAILURE;
        }
        return EXIT_OK;
    }

    /** {@code --socket}, else {@code control.unix} of {@code -c CONFIG}, else the default path. */
    static Path controlSocket(CommandLine cl) throws ConfigException {
        if (cl.socket().isPresent()) {
            return cl.socket().get();
        }
        if (cl.configFile().isPresent()) {
            // Only this key is read: the rest (the key file, a password) may not be readable here.
            Path file = cl.configFile().get();
            String unix = ConfigFileReader.read(file).get(ConfigKeys.CONTROL_UNIX);
            if (unix == null) {
                throw new ConfigException(ConfigKeys.CONTROL_UNIX, ConfigException.Reason.MISSING,
                        "not set: the running tunnel has no control socket to ask");
            }
            Path dir = file.toAbsolutePath().getParent();
            return dir == null ? Path.of(unix.strip()) : dir.resolve(unix.strip());
        }
        return ControlSettings.DEFAULT_UNIX_PATH;
    }

    private static int check(Path file, PrintStream out, PrintStream err) {
        try {
            PropertiesConfig.parse(file);
        } catch (ConfigException e) {
            err.println(file + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        out.println(file + ": ok");
        return EXIT_OK;
    }

    private static int genkey(Path file, PrintStream out, PrintStream err) {
        try {
            Secrets.generateKeyFile(file);
        } catch (FileAlreadyExistsException e) {
            err.println(file + ": exists; not overwritten");
            return EXIT_FAILURE;
        } catch (IOException | UnsupportedOperationException e) {
            err.println(file + ": cannot write the key file: " + e);
            return EXIT_FAILURE;
        }
        out.println(file + ": new key written (mode 600)");
        return EXIT_OK;
    }

    private static int notAvailable(String what, PrintStream err) {
        err.println("mlvpn: " + what + " is not available in this build yet");
        return EXIT_FAILURE;
    }

    /** The project version, from the resource the build filters; {@code unknown} when absent. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
