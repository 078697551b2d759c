/**
 * The command line (picocli): {@link dev.plexgate.control.cli.PlexgateCommand} with its help and
 * version and one class per subcommand. Commands print to picocli's out and err writers, never to
 * {@code System.out}, so tests capture them; {@code Failures} turns each failure type into its
 * message and exit code.
 */
package dev.plexgate.control.cli;
