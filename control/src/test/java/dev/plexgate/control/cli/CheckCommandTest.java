package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plexgate check} on configs in a temporary directory: no host names, so no DNS. */
final class CheckCommandTest {

    private static final String NL = System.lineSeparator();
    private static final String CONFIG = """
            lists:
              friends: allow.list
              bots: {file: bots.list, kind: bots}
            rules:
              - name: Allow IPs to skip WAF
                expression: ip.src in $friends
                action: skip
                skip: [current, rate_limit, sbfm]
              - name: Restrict IPs
                expression: not ip.src in $friends
                action: block
              - name: Block bots
                expression: cf.client.bot
                action: block
            bot_fight_mode: true
            """;

    @TempDir
    Path dir;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void configure() throws IOException {
        config = Files.writeString(dir.resolve("plexgate.yml"), CONFIG);
        Files.writeString(dir.resolve("bots.list"), "GPTBot\n/^curl-impersonate/\n");
    }

    @Test
    void valid_noWarnings_summaryOnStdout_exitsZero() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\n");

        assertThat(plexgate("check", "-c", config.toString())).isZero();

        assertThat(out).hasToString("ok: 3 rules, 0 rate limits, 2 lists (friends: 1 entry, bots: 2 patterns)" + NL);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void warnings_printedOnStderr_stillExitZero() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "# nobody yet\n");

        assertThat(plexgate("check", "--config", config.toString())).isZero();

        assertThat(err).hasToString("warning: " + config + ":2:3: lists.friends: " + dir.resolve("allow.list")
                + " has no entries, so rule 'Restrict IPs' blocks every request from the tunnel (expected: one line"
                + " per address to allow, such as 203.0.113.7 bob)" + NL);
        assertThat(out).hasToString(
                "ok, 1 warning: 3 rules, 0 rate limits, 2 lists (friends: 0 entries, bots: 2 patterns)" + NL);
    }

    @Test
    void warningsWithStrict_exitOne() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "");

        assertThat(plexgate("check", "--strict", "-c", config.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("warning: " + config + ":2:3: lists.friends: ");
        assertThat(out).hasToString("not ok (--strict), 1 warning: 3 rules, 0 rate limits, 2 lists (friends: 0 entries,"
                + " bots: 2 patterns)" + NL);
    }

    @Test
    void configWarnings_suchAsInsecureUpstreamTls_countLikePolicyWarnings() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\n");
        Files.writeString(config, "upstream: https://127.0.0.1:32400\nupstream_tls:\n  insecure_skip_verify: true\n"
                + CONFIG);

        assertThat(plexgate("check", "--strict", "-c", config.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("warning: " + config + ":3:25: upstream_tls.insecure_skip_verify: true:"
                + " Plex's certificate is not verified");
        assertThat(out.toString()).startsWith("not ok (--strict), 1 warning: 3 rules");
    }

    @Test
    void strictWithoutWarnings_exitsZero() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7\n198.51.100.0/24\n");

        assertThat(plexgate("check", "--strict", "-c", config.toString())).isZero();

        assertThat(out.toString()).startsWith("ok: 3 rules, 0 rate limits, 2 lists (friends: 2 entries,");
    }

    @Test
    void errors_inTheListAndInAnExpression_everyOnePrinted_exitTwo() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7\n203.0.113.0/24x\n");

        assertThat(plexgate("check", "-c", config.toString())).isEqualTo(2);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("error: " + dir.resolve("allow.list") + ":2:1: ")
                .endsWith(NL + "not ok: 1 error" + NL);
    }

    @Test
    void expressionError_yamlPositionThenCarets() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7\n");
        Files.writeString(config, CONFIG.replace("expression: cf.client.bot", "expression: cf.client.bots"));

        assertThat(plexgate("check", "-c", config.toString())).isEqualTo(2);

        assertThat(err).hasToString("error: " + config + ":13:17: rules[2].expression: unknown field 'cf.client.bots'"
                + "\ncf.client.bots\n^^^^^^^^^^^^^^" + NL + "not ok: 1 error" + NL);
    }

    @Test
    void invalidYaml_exitsTwo() throws IOException {
        Files.writeString(config, "rules:\n  - name: x\n    expression: ip.src in {192.0.2.1}\n    action: deny\n");

        assertThat(plexgate("check", "-c", config.toString())).isEqualTo(2);

        assertThat(err).hasToString("error: " + config + ":4:13: rules[0].action: 'deny' is not an action (expected:"
                + " block, skip, log, managed_challenge, js_challenge or challenge)" + NL + "not ok: 1 error" + NL);
    }

    @Test
    void shippedConfig_validWithTheEmptyAllowListWarning() {
        assertThat(plexgate("check", "-c", "../conf/plexgate.yml")).isZero();

        assertThat(err.toString()).startsWith("warning: ../conf/plexgate.yml:78:3: lists.friends: ")
                .contains("blocks every request from the tunnel");
        assertThat(out.toString()).matches("ok, 1 warning: 3 rules, 0 rate limits, 2 lists \\(friends: 0 entries,"
                + " bots: \\d+ patterns\\)" + NL);
    }

    private int plexgate(String... args) {
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
