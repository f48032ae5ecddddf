/**
 * The reference launcher: {@link io.mlvpn.launcher.Main} (command line, exit codes),
 * {@link io.mlvpn.launcher.CommandLine} (argument parsing), and
 * {@link io.mlvpn.launcher.PropertiesConfig}, which reads the properties file described in
 * {@code docs/configuration.md} into a {@link io.mlvpn.launcher.LauncherConfig}.
 *
 * <p>Exit codes: 0 success; 1 a run-time failure (a file that cannot be written, a tunnel that
 * fails); 2 a usage or configuration error. Parameters and results are non-null unless a method
 * says otherwise.
 */
package io.mlvpn.launcher;
