package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plexgate status} with nothing running; MainProcessTest runs it against a running service. */
final class StatusCommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void nothingListening_saysNotRunning_exitsOne() throws IOException {
        int port = freeLoopbackPort();
        Path config = Files.writeString(dir.resolve("plexgate.yml"), "admin:\n  listen: 127.0.0.1:" + port + "\n");

        assertThat(plexgate("status", "-c", config.toString())).isEqualTo(1);

        assertThat(err).hasToString("plexgate is not running (nothing answers on http://127.0.0.1:" + port + "/status)"
                + NL);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void readsOnlyTheAdminSection_soAnUnreadableTokenFileIsNoObstacle() throws IOException {
        int port = freeLoopbackPort();
        Path config = Files.writeString(dir.resolve("plexgate.yml"), "tunnel:\n  enabled: true\n"
                + "  token_file: missing.token\nadmin:\n  listen: 127.0.0.1:" + port + "\n");

        assertThat(plexgate("status", "-c", config.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("plexgate is not running");
    }

    @Test
    void invalidAdminSection_isAConfigError() throws IOException {
        Path config = Files.writeString(dir.resolve("plexgate.yml"), "admin:\n  listen: 0.0.0.0:9810\n");

        assertThat(plexgate("status", "-c", config.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith(config + ":2:11: admin.listen: is not a loopback address");
    }

    @Test
    void durations_showTheTwoLargestUnits() {
        assertThat(StatusCommand.bytes(512)).isEqualTo("512 B");
        assertThat(StatusCommand.bytes(3_400_000)).isEqualTo("3.4 MB");
        assertThat(StatusCommand.bytes(1_250_000_000L)).isEqualTo("1.3 GB");
        assertThat(StatusCommand.duration(12)).isEqualTo("12s");
        assertThat(StatusCommand.duration(7 * 60 + 3)).isEqualTo("7m 3s");
        assertThat(StatusCommand.duration(2 * 3600 + 5 * 60 + 9)).isEqualTo("2h 5m");
        assertThat(StatusCommand.duration(3 * 86_400 + 4 * 3600 + 1)).isEqualTo("3d 4h");
    }

    private int plexgate(String... args) {
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
