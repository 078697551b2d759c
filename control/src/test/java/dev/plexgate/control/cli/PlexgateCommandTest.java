package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.control.service.PlexgateVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes and what lands on stdout and stderr. */
final class PlexgateCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int plexgate(String... args) {
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void version_printsNameAndVersion() {
        assertThat(plexgate("--version")).isZero();
        assertThat(out).hasToString("plexgate " + PlexgateVersion.get() + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void help_listsTheCommandsAndExitCodes() {
        assertThat(plexgate("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: plexgate [-hV] COMMAND")
                .containsPattern("run +Run the proxy in the foreground until SIGTERM or SIGINT\\.")
                .contains("2   invalid configuration or command line");
    }

    @Test
    void runHelp_describesTheConfigOption() {
        assertThat(plexgate("run", "--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: plexgate run [-h] [-c=FILE]")
                .contains("/etc/plexgate/plexgate.yml");
    }

    @Test
    void bare_printsUsageToStderr_exitsTwo() {
        assertThat(plexgate()).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("Missing command").contains("Usage: plexgate [-hV] COMMAND");
    }

    @Test
    void unknownOption_exitsTwo() {
        assertThat(plexgate("run", "--listen", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--listen', 'x'");
    }

    @Test
    void runWithInvalidConfig_printsEveryProblem_exitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plexgate.yml"), "lisen: 127.0.0.1:32401\nupstream: http://plex\n");

        assertThat(plexgate("run", "-c", file.toString())).isEqualTo(2);

        assertThat(out.toString()).isEmpty();
        assertThat(err).hasToString(file + ":1:1: lisen: unknown key, did you mean 'listen'? (expected: one of listen,"
                + " listen_tls, upstream, upstream_tls, trusted_proxies, client_ip_header, cache, event_loops, transport, timeouts, limits, events, lists,"
                + " rules, rate_limits, bot_fight_mode, tunnel, admin)"
                + System.lineSeparator()
                + file + ":2:11: upstream: 'http://plex' has no port (expected: http(s)://host:port with an explicit"
                + " port, such as http://127.0.0.1:32400)" + System.lineSeparator());
    }

    @Test
    void runWithMissingConfig_namesTheFile_exitsTwo(@TempDir Path dir) {
        Path file = dir.resolve("absent.yml");

        assertThat(plexgate("run", "--config", file.toString())).isEqualTo(2);

        assertThat(err).hasToString(file + ": cannot read: no such file (expected: a readable YAML file)"
                + System.lineSeparator());
    }
}
