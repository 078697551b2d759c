package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plexgate status} with nothing running, and its summary of a {@code /status} document;
 * MainProcessTest runs it against a running service.
 */
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
        assertThat(StatusCommand.duration(12)).isEqualTo("12s");
        assertThat(StatusCommand.duration(7 * 60 + 3)).isEqualTo("7m 3s");
        assertThat(StatusCommand.duration(2 * 3600 + 5 * 60 + 9)).isEqualTo("2h 5m");
        assertThat(StatusCommand.duration(3 * 86_400 + 4 * 3600 + 1)).isEqualTo("3d 4h");
    }

    @Test
    void tlsListener_oneLine_afterTheListener() throws IOException {
        List<String> lines = StatusCommand.summary(status("""
                "tls": {"address": "192.168.1.10:32443", "engine": "jdk", "subject": "CN=plexbox.lan",
                        "not_after": "2030-01-31T12:00:00Z", "days_left": 200, "expiring_soon": false,
                        "client_certificates_required": true},"""));

        assertThat(lines.get(2)).isEqualTo("tls          192.168.1.10:32443 (jdk), CN=plexbox.lan until"
                + " 2030-01-31T12:00:00Z (200 days left), client certificates required");
        assertThat(lines.get(1)).startsWith("listener ");
    }

    @Test
    void tlsCertificateExpiringSoon_isMarked_withTheFix() throws IOException {
        List<String> lines = StatusCommand.summary(status("""
                "tls": {"address": "192.168.1.10:32443", "engine": "jdk", "subject": "CN=plexbox.lan",
                        "not_after": "2030-01-31T12:00:00Z", "days_left": 1, "expiring_soon": true,
                        "client_certificates_required": false},"""));

        assertThat(lines.get(2)).isEqualTo("tls          192.168.1.10:32443 (jdk), CN=plexbox.lan until"
                + " 2030-01-31T12:00:00Z, EXPIRES SOON (1 day left): plexgate tls renew, or replace the files");
    }

    @Test
    void noTlsListener_noTlsLine() throws IOException {
        assertThat(StatusCommand.summary(status(""))).noneMatch(line -> line.startsWith("tls "));
    }

    /** A /status document as the service writes it, with {@code tls} (a member and its comma) or not. */
    private static JsonNode status(String tls) throws IOException {
        return new ObjectMapper().readTree("""
                {"version": "1.2.3", "started": "2030-01-01T00:00:00Z", "uptime_seconds": 60,
                 "config": {"file": "/etc/plexgate/plexgate.yml", "last_reload": {"time": "2030-01-01T00:00:00Z",
                            "trigger": "start", "result": "success", "error": null}},
                 "listener": {"address": "127.0.0.1:32401", "listening": true, "transport": "epoll",
                              "open_connections": 0},
                 %s
                 "upstream": {"address": "http://127.0.0.1:32400", "reachable": true, "plex_version": "1.40",
                              "machine_id": "m"},
                 "tunnel": {"state": "DISABLED"}, "requests": {}, "top_clients_last_hour": []}
                """.formatted(tls));
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
