/**
 * The reference launcher: {@link io.mlvpn.launcher.Main} (command line, exit codes),
 * {@link io.mlvpn.launcher.CommandLine} (argument parsing), and
 * {@link io.mlvpn.launcher.PropertiesConfig}, which reads the properties file described in
 * {@code docs/configuration.md} into a {@link io.mlvpn.launcher.LauncherConfig}.
 *
 * <p>Running a tunnel: {@code TunnelSupervisor} opens the device, starts the tunnel, serves
 * reload and stop requests on the main thread and shuts down in order; {@code StatusHooks} turns
 * link events into MLVPN's status command calls, which {@code StatusCommandRunner} runs one at a
 * time on its own thread; {@code SignalHandlers} (the one class that reaches
 * {@code sun.misc.Signal}, reflectively) turns SIGTERM, SIGINT and SIGHUP into requests;
 * {@code LogSetup} configures slf4j-simple before the first logger exists; {@code LinkDiagnosis}
 * explains a tunnel that stays down. {@code docs/cli.md} describes the command line,
 * {@code docs/operations.md} running it.
 *
 * <p>Exit codes: 0 success; 1 a run-time failure (a file that cannot be written, a device that
 * cannot be opened, a tunnel that fails to start); 2 a usage or configuration error. Parameters
 * and results are non-null unless a method says otherwise.
 */
package io.mlvpn.launcher;
