package io.mlvpn.launcher;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.launcher.control.ControlSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the launcher runs: the tunnel's configuration plus the launcher's own settings (status
 * command and its environment, control endpoint, the user to drop to). Instances are immutable; build them with {@link #builder()} and
 * derive changed copies with {@link #toBuilder()}. {@code toString()} never shows the secret.
 */
public final class LauncherConfig {
    /**
     * The hook variables taken from the configuration, in MLVPN's order; {@link #hookEnvironment()}
     * always holds all of them. {@code DEVICE} and {@code MTU} are added when a hook runs.
     */
    public static final List<String> HOOK_VARIABLES =
            List.of("IP4", "IP6", "IP4_GATEWAY", "IP6_GATEWAY", "IP4_ROUTES", "IP6_ROUTES");
    /** Default time limit of one status command run. */
    public static final Duration DEFAULT_STATUS_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Shortest accepted status command time limit. */
    public static final Duration MIN_STATUS_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Longest accepted status command time limit. */
    public static final Duration MAX_STATUS_COMMAND_TIMEOUT = Duration.ofMinutes(10);

    private final TunnelConfig tunnel;
    private final Path statusCommand;
    private final Duration statusCommandTimeout;
    private final Map<String, String> hookEnvironment;
    private final Path source;
    private final ControlSettings control;
    private final String user;
    private final boolean interfaceOffload;

    private LauncherConfig(Builder b) {
        this.tunnel = b.tunnel;
        this.statusCommand = b.statusCommand;
        this.statusCommandTimeout = b.statusCommandTimeout;
        this.hookEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(b.hookEnvironment));
        this.source = b.source;
        this.control = b.control;
        this.user = b.user;
        this.interfaceOffload = b.interfaceOffload;
    }

    /** A builder with every default set; the tunnel and the source are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tunnel = tunnel;
        b.statusCommand = statusCommand;
        b.statusCommandTimeout = statusCommandTimeout;
        b.hookEnvironment.putAll(hookEnvironment);
        b.source = source;
        b.control = control;
        b.user = user;
        b.interfaceOffload = interfaceOffload;
        return b;
    }

    /** The tunnel's configuration. */
    public TunnelConfig tunnel() {
        return tunnel;
    }

    /** The status command ({@code status.command}); empty: no hooks. */
    public Optional<Path> statusCommand() {
        return Optional.ofNullable(statusCommand);
    }

    /** Time limit of one status command run ({@code status.command.timeout}), 10 s unless set. */
    public Duration statusCommandTimeout() {
        return statusCommandTimeout;
    }

    /**
     * The variables exported to the status command from the configuration: every name of
     * {@link #HOOK_VARIABLES}, in that order, with an empty string when unset. Unmodifiable.
     */
    public Map<String, String> hookEnvironment() {
        return hookEnvironment;
    }

    /** The control endpoint's settings ({@code control.*}); {@link ControlSettings#NONE} unless set. */
    public ControlSettings control() {
        return control;
    }

    /** The user to drop to after start when started as root ({@code user}). */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The file this configuration was read from (for reloads and messages). */
    public Path source() {
        return source;
    }

    /** Whether the device may use kernel offloads ({@code interface.offload}, default true). */
    public boolean interfaceOffload() {
        return interfaceOffload;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LauncherConfig)) {
            return false;
        }
        LauncherConfig c = (LauncherConfig) o;
        return tunnel.equals(c.tunnel) && Objects.equals(statusCommand, c.statusCommand)
                && statusCommandTimeout.equals(c.statusCommandTimeout) && hookEnvironment.equals(c.hookEnvironment)
                && source.equals(c.source) && control.equals(c.control) && Objects.equals(user, c.user)
                && interfaceOffload == c.interfaceOffload;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tunnel, statusCommand, statusCommandTimeout, hookEnvironment, source, control, user, interfaceOffload);
    }

    @Override
    public String toString() {
        return "LauncherConfig[source=" + source + ", tunnel=" + tunnel + ", statusCommand="
                + (statusCommand == null ? "none" : statusCommand) + ", statusCommandTimeout="
                + statusCommandTimeout.toMillis() + "ms, hookEnvironment=" + hookEnvironment + ", control=" + control
                + ", user=" + (user == null ? "none" : user) + ", interfaceOffload=" + interfaceOffload + "]";
    }

    /** Builds a {@link LauncherConfig}; values are checked in {@link #build()}. */
    public static final class Builder {
        private TunnelConfig tunnel;
        private Path statusCommand;
        private Duration statusCommandTimeout = DEFAULT_STATUS_COMMAND_TIMEOUT;
        private final Map<String, String> hookEnvironment = new LinkedHashMap<>();
        private Path source;
        private ControlSettings control = ControlSettings.NONE;
        private String user;
        private boolean interfaceOffload = true;

        private Builder() {
            for (String v : HOOK_VARIABLES) {
                hookEnvironment.put(v, "");
            }
        }

        /** The tunnel's configuration. */
        public Builder tunnel(TunnelConfig tunnel) {
            this.tunnel = Objects.requireNonNull(tunnel, "tunnel");
            return this;
        }

        /** The status command, or {@code null} for none. */
        public Builder statusCommand(Path command) {
            this.statusCommand = command;
            return this;
        }

        /** Time limit of one status command run. */
        public Builder statusCommandTimeout(Duration timeout) {
            this.statusCommandTimeout = Objects.requireNonNull(timeout, "statusCommandTimeout");
            return this;
        }

        /**
         * Sets one hook variable; {@code ""} unsets it.
         *
         * @throws IllegalArgumentException when {@code variable} is not one of {@link #HOOK_VARIABLES}
         */
        public Builder hookVariable(String variable, String value) {
            if (!HOOK_VARIABLES.contains(variable)) {
                throw new IllegalArgumentException("not a hook variable: " + variable);
            }
            hookEnvironment.put(variable, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The control endpoint's settings. */
        public Builder control(ControlSettings control) {
            this.control = Objects.requireNonNull(control, "control");
            return this;
        }

        /** Whether the device may use kernel offloads (default true). */
        public Builder interfaceOffload(boolean interfaceOffload) {
            this.interfaceOffload = interfaceOffload;
            return this;
        }

        /** The user to drop to when started as root, or {@code null} for none. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The file the configuration comes from. */
        public Builder source(Path source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws ConfigException with key {@code status.command.timeout} when the time limit is
         *     outside 1 s to 10 min
         * @throws IllegalStateException when the tunnel or the source was never set
         */
        public LauncherConfig build() throws ConfigException {
            if (tunnel == null || source == null) {
                throw new IllegalStateException(tunnel == null ? "tunnel not set" : "source not set");
            }
            if (statusCommandTimeout.compareTo(MIN_STATUS_COMMAND_TIMEOUT) < 0
                    || statusCommandTimeout.compareTo(MAX_STATUS_COMMAND_TIMEOUT) > 0) {
                throw new ConfigException("status.command.timeout", Reason.OUT_OF_RANGE,
                        "outside " + MIN_STATUS_COMMAND_TIMEOUT.toMillis() + "..."
                                + MAX_STATUS_COMMAND_TIMEOUT.toMillis() + " ms",
                        statusCommandTimeout.toMillis() + "ms");
            }
            return new LauncherConfig(this);
        }
    }
}
