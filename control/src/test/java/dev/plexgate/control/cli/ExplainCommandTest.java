package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plexgate explain} against the reference setup and a few rules written for one fact each. */
final class ExplainCommandTest {

    private static final String REFERENCE = """
            lists:
              friends: allow.list
              bots: {file: bots.list, kind: bots}
            rules:
              - name: Allow IPs to skip WAF
                expression: ip.src in $friends
                action: skip
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

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void lists() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7  bob  # his home\n198.51.100.0/24 office\n");
        Files.writeString(dir.resolve("bots.list"), "# test bots\nGPTBot\n/^python-requests/\n");
    }

    @Test
    void friend_allowed_skipRuleMatches_restNotReached_exit0() throws IOException {
        int exit = explain(REFERENCE, "--ip", "203.0.113.7", "--url", "https://plex.example.com/library/sections",
                "-A", "Plex/1.0");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("$friends: listed at allow.list:1 203.0.113.7 (bob)")
                .containsPattern("1\\. Allow IPs to skip WAF +skip +match: skips the remaining custom rules")
                .containsPattern("2\\. Restrict IPs +block +not reached \\(skipped by \"Allow IPs to skip WAF\"\\)")
                .containsPattern("3\\. Block bots +block +not reached \\(skipped by \"Allow IPs to skip WAF\"\\)")
                .contains("Bot Fight Mode  on: not a bot")
                .contains("decision    allowed: forwarded to Plex (security event: skip by \"Allow IPs to skip WAF\")");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void stranger_blockedByRestrictIps_with403_exit1() throws IOException {
        int exit = explain(REFERENCE, "--ip", "192.0.2.50", "--country", "nl");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString())
                .contains("client      192.0.2.50, country NL, HTTP")
                .contains("$friends: not listed")
                .containsPattern("1\\. Allow IPs to skip WAF +skip +no match")
                .containsPattern("2\\. Restrict IPs +block +match: blocks with 403")
                .containsPattern("3\\. Block bots +block +not reached \\(blocked by \"Restrict IPs\"\\)")
                .contains("decision    blocked by \"Restrict IPs\": the visitor gets 403");
    }

    @Test
    void ipv4MappedIpv6_normalisedLikeTheProxy_friendInACidr() throws IOException {
        assertThat(explain(REFERENCE, "--ip", "::ffff:198.51.100.20")).isZero();
        assertThat(out.toString()).contains("client      198.51.100.20")
                .contains("$friends: listed at allow.list:2 198.51.100.0/24 (office)");
    }

    @Test
    void bot_forcedWithBot_whateverTheUserAgent_andNoBotOverridesTheList() throws IOException {
        String yaml = """
                lists:
                  bots: {file: bots.list, kind: bots}
                rules:
                  - name: Block bots
                    expression: cf.client.bot
                    action: block
                """;

        assertThat(explain(yaml, "--ip", "203.0.113.7", "-A", "Plex/1.0", "--bot")).isEqualTo(1);
        assertThat(out.toString()).contains("cf.client.bot true: --bot")
                .contains("blocked by \"Block bots\": the visitor gets 403");

        assertThat(explain(yaml, "--ip", "203.0.113.7", "-A", "GPTBot/1.2", "--no-bot")).isZero();
        assertThat(out.toString()).contains("cf.client.bot false: --no-bot");
    }

    @Test
    void bot_fromTheList_namesThePatternThatMatched() throws IOException {
        String yaml = """
                lists:
                  bots: {file: bots.list, kind: bots}
                bot_fight_mode: true
                """;

        assertThat(explain(yaml, "--ip", "203.0.113.7", "-A", "python-requests/2.31")).isEqualTo(1);
        assertThat(out.toString()).contains("cf.client.bot true: pattern /^python-requests/ (line 3)")
                .contains("Bot Fight Mode  on: a known bot, blocks with 403")
                .contains("blocked by \"Bot Fight Mode\"");
    }

    @Test
    void headerRule_seesTheHeaderGivenWithH() throws IOException {
        String yaml = """
                rules:
                  - name: No web
                    expression: http.request.headers["x-plex-product"][0] eq "Plex Web"
                    action: block
                    status: 451
                """;

        assertThat(explain(yaml, "--ip", "203.0.113.7", "-H", "X-Plex-Product: Plex Web")).isEqualTo(1);
        assertThat(out.toString()).contains("X-Plex-Product: Plex Web").contains("the visitor gets 451");

        assertThat(explain(yaml, "--ip", "203.0.113.7", "-H", "X-Plex-Product: Plex for LG")).isZero();
    }

    @Test
    void httpsUrl_setsSsl_andTheHostComesFromTheUrl() throws IOException {
        String yaml = """
                rules:
                  - name: HTTPS to plex only
                    expression: not ssl or http.host ne "plex.example.com" or http.request.uri.query ne "a=1"
                    action: block
                """;

        assertThat(explain(yaml, "--ip", "203.0.113.7", "--url", "https://plex.example.com/web?a=1#top")).isZero();
        assertThat(out.toString()).contains("request     GET /web?a=1").contains("Cf-Visitor: {\"scheme\":\"https\"}");
        assertThat(explain(yaml, "--ip", "203.0.113.7", "--url", "http://plex.example.com/web?a=1")).isEqualTo(1);
        assertThat(explain(yaml, "--ip", "203.0.113.7", "--url", "https://plex.example.com/web?a=1",
                "-H", "Host: other.example.com")).isEqualTo(1);
    }

    @Test
    void edgeHeaders_typedByTheVisitor_areIgnoredWithANote() throws IOException {
        int exit = explain(REFERENCE, "--ip", "192.0.2.50", "-H", "CF-Connecting-IP: 203.0.113.7");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("note: -H CF-Connecting-IP ignored");
    }

    @Test
    void expr_trueFalse_exit0And1() throws IOException {
        assertThat(explain(REFERENCE, "--ip", "203.0.113.7", "--expr", "ip.src in $friends")).isZero();
        assertThat(out.toString()).isEqualTo("true" + System.lineSeparator());

        assertThat(explain(REFERENCE, "--ip", "192.0.2.1", "--method", "post",
                "--expr", "ip.src in $friends or http.request.method ne \"POST\"")).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("false" + System.lineSeparator());
    }

    @Test
    void expr_compileError_renderedWithCarets_exit2() throws IOException {
        int exit = explain(REFERENCE, "--ip", "203.0.113.7", "--expr", "not ip.source in $friends");

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("--expr:1:5: unknown field")
                .contains("not ip.source in $friends" + System.lineSeparator() + "    ^^^^^^^^^");
    }

    @Test
    void badFlags_exit2() throws IOException {
        assertThat(explain(REFERENCE, "--ip", "203.0.113.300")).isEqualTo(2);
        assertThat(err.toString()).contains("'203.0.113.300' is not an IP address");
        assertThat(explain(REFERENCE, "--ip", "203.0.113.7", "--country", "Netherlands")).isEqualTo(2);
        assertThat(explain(REFERENCE, "--ip", "203.0.113.7", "-H", "no colon")).isEqualTo(2);
        assertThat(explain(REFERENCE, "--ip", "203.0.113.7", "--url", "ftp://plex.example.com/")).isEqualTo(2);
        assertThat(explain(REFERENCE, "--ip", "203.0.113.7", "-A", "a", "-H", "User-Agent: b")).isEqualTo(2);
        assertThat(explain(REFERENCE)).isEqualTo(2);
    }

    @Test
    void badConfig_exit2() throws IOException {
        assertThat(explain("rules:\n  - name: x\n    expression: ip.src in $nobody\n    action: block\n",
                "--ip", "203.0.113.7")).isEqualTo(2);
        assertThat(err.toString()).contains("rules[0].expression");
    }

    private int explain(String yaml, String... args) throws IOException {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Path config = Files.writeString(dir.resolve("plexgate.yml"), yaml);
        List<String> all = new ArrayList<>(List.of("explain", "-c", config.toString()));
        all.addAll(List.of(args));
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(all.toArray(String[]::new));
    }
}
