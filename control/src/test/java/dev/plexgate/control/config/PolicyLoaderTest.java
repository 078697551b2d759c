package dev.plexgate.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class PolicyLoaderTest {

    private static final String REFERENCE = """
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

    @Test
    void referenceSetup_friendSkips_strangerBlocked_noWarnings() throws Exception {
        lists("203.0.113.7 bob\n", "GPTBot\n");

        try (LoadedPolicy loaded = load(REFERENCE)) {
            assertThat(loaded.warnings()).isEmpty();
            Policy policy = loaded.policy();
            assertThat(policy.decide(facts("203.0.113.7", "GPTBot/1.0")).action()).isEqualTo(RuleAction.SKIP);
            assertThat(policy.decide(facts("198.51.100.9", "Plex/1.0")).rule()).isEqualTo("Restrict IPs");
            assertThat(loaded.ipLists().keySet()).containsExactly("friends");
            assertThat(loaded.ipLists().get("friends").nameFor(IpLiterals.parse("203.0.113.7"))).isEqualTo("bob");
            assertThat(loaded.botList().patterns()).hasSize(1);
            assertThat(loaded.context().patternLists()).containsExactly("bots");
            assertThat(policy.sentBytes(IpLiterals.parse("203.0.113.7")).getId().getTag("client"))
                    .as("bytes are labelled with the allow-list name").isEqualTo("bob");
            assertThat(policy.sentBytes(IpLiterals.parse("198.51.100.9")).getId().getTag("client")).isEqualTo("unknown");
        }
    }

    @Test
    void shippedConfig_threeRules_onlyWarningIsTheEmptyAllowList() throws Exception {
        Path shipped = Path.of("../conf/plexgate.yml");
        try (LoadedPolicy loaded = PolicyLoader.load(ConfigLoader.load(shipped).policy(), new SimpleMeterRegistry(),
                null, null)) {
            assertThat(loaded.policy().rules()).extracting(rule -> rule.name())
                    .containsExactly("Allow IPs to skip WAF", "Restrict IPs", "Block bots");
            assertThat(loaded.policy().botFightMode()).isTrue();
            assertThat(loaded.botList().patterns()).hasSizeGreaterThan(300);
            assertThat(loaded.warnings()).extracting(ConfigProblem::toString).containsExactly(shipped
                    + ":78:3: lists.friends: " + shipped.toAbsolutePath().getParent().normalize().resolve("allow.list")
                    + " has no entries, so rule 'Restrict IPs' blocks every request from the tunnel (expected: one"
                    + " line per address to allow, such as 203.0.113.7 bob)");
        }
    }

    @Test
    void botOverride_decidesCfClientBotAndBotFightMode() throws Exception {
        lists("203.0.113.7\n", "GPTBot\n");
        String yaml = REFERENCE.replace("skip: [current, rate_limit, sbfm]", "skip: [rate_limit]");

        try (LoadedPolicy forced = PolicyLoader.load(parse(yaml), new SimpleMeterRegistry(), null, userAgent -> true);
                LoadedPolicy never = PolicyLoader.load(parse(yaml), new SimpleMeterRegistry(), null, userAgent -> false)) {
            assertThat(forced.policy().decide(facts("203.0.113.7", "Plex/1.0")).rule()).isEqualTo("Block bots");
            assertThat(never.policy().decide(facts("203.0.113.7", "GPTBot/1.0")).action()).isEqualTo(RuleAction.SKIP);
        }
    }

    @Test
    void listFileErrors_reportedAtTheirLineInTheList_everyList() throws Exception {
        lists("203.0.113.7\n203.0.113.300 bob\n", "/(unclosed/\n");

        assertThatThrownBy(() -> load(REFERENCE))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .extracting(ConfigProblem::file, ConfigProblem::line, ConfigProblem::column)
                        .containsExactly(
                                tuple(dir.resolve("allow.list"), 2, 1),
                                tuple(dir.resolve("bots.list"), 1, 2)));
    }

    @Test
    void missingListFile_reportedWherePlexgateYmlNamesIt() throws Exception {
        Files.writeString(dir.resolve("bots.list"), "GPTBot\n");

        assertThatThrownBy(() -> load(REFERENCE))
                .isInstanceOf(ConfigException.class)
                .hasMessage(yml() + ":2:3: lists.friends: " + dir.resolve("allow.list")
                        + ": no such file (expected: a readable list file)");
    }

    @ParameterizedTest
    @MethodSource("misplacedFields")
    void expressionError_locatedInTheYamlFile_withTheRuleLineAndCarets(String expression, String location,
            String ruleLine, String carets) {
        String yaml = "rules:\n  - name: x\n    action: block\n    expression: " + expression + "\n";

        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(yml() + ":" + location + ": rules[0].expression: unknown field 'ip.source'\n" + ruleLine
                        + "\n" + carets);
    }

    static Stream<Arguments> misplacedFields() {
        String line = "not ip.source in {192.0.2.1}";
        String carets = "    ^^^^^^^^^";
        return Stream.of(
                arguments(line + "   # a comment", "4:21", line, carets),
                arguments("'" + line + "'", "4:22", line, carets),
                arguments("'http.host eq \"it''s\" and ip.source in {192.0.2.1}'", "4:43",
                        "http.host eq \"it's\" and ip.source in {192.0.2.1}", " ".repeat(24) + "^^^^^^^^^"),
                arguments("\"http.host eq \\\"x\\\" and ip.source in {192.0.2.1}\"", "4:41",
                        "http.host eq \"x\" and ip.source in {192.0.2.1}", " ".repeat(21) + "^^^^^^^^^"),
                arguments("|\n      http.host eq \"x\"\n      and ip.source in {192.0.2.1}", "6:11",
                        "and ip.source in {192.0.2.1}", "    ^^^^^^^^^"),
                arguments(">\n      http.host eq \"x\"\n      and ip.source in {192.0.2.1}", "6:11",
                        "http.host eq \"x\" and ip.source in {192.0.2.1}", " ".repeat(21) + "^^^^^^^^^"),
                // Folded over two lines, a plain scalar cannot be followed: the value's start, then the rule's own position.
                arguments("http.host eq \"x\"\n      and ip.source in {192.0.2.1}", "4:17",
                        "http.host eq \"x\" and ip.source in {192.0.2.1}", " ".repeat(21) + "^^^^^^^^^"));
    }

    @Test
    void everyExpressionError_reported_rulesAndRateLimits() {
        String yaml = """
                rules:
                  - name: a
                    expression: ip.src in $nobody
                    action: block
                  - name: b
                    expression: ip.src contains "x"
                    action: log
                rate_limits:
                  - name: c
                    expression: http.host eq
                    period: 10s
                    requests_per_period: 5
                """;

        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .extracting(problem -> problem.line() + ":" + problem.column() + " "
                                + problem.message().substring(0, problem.message().indexOf(':')))
                        .containsExactly("3:27 rules[0].expression", "6:24 rules[1].expression",
                                "10:29 rate_limits[0].expression"));
    }

    @Test
    void warnings_challenge_neverReached_botWithoutList_unusedList_duplicateEntry() throws Exception {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7\n203.0.113.7\n");
        Files.writeString(dir.resolve("spare.list"), "192.0.2.1\n");
        String yaml = """
                lists:
                  friends: allow.list
                  spare: spare.list
                rules:
                  - name: Friends
                    expression: ip.src in $friends
                    action: skip
                  - name: Strangers
                    expression: not ip.src in $friends
                    action: managed_challenge
                  - name: Strangers again
                    expression: not   ip.src in $friends
                    action: log
                  - name: Bots
                    expression: cf.client.bot
                    action: block
                """;

        try (LoadedPolicy loaded = load(yaml)) {
            assertThat(loaded.warnings()).extracting(ConfigProblem::toString).containsExactly(
                    dir.resolve("allow.list") + ":2:1: '203.0.113.7' duplicates line 1 (the first one's name labels its traffic)",
                    yml() + ":3:3: lists.spare: not used (expected: $spare in a rule, or no such list)",
                    yml() + ":8:5: rules[1]: action managed_challenge is Cloudflare's; plexgate blocks with 403"
                            + " instead (expected: block, skip or log to mean the same in both places)",
                    yml() + ":11:5: rules[2]: never reached: rule 'Strangers' on line 8 has the same expression and"
                            + " ends the custom rules first (expected: a different expression, or the rules in"
                            + " another order)",
                    yml() + ":15:17: rules[3].expression: cf.client.bot is never true (expected: a list of kind"
                            + " bots, such as bots: {file: bots.list, kind: bots})");
        }
    }

    @Test
    void emptyListInARuleThatBlocksNobody_saysTheTestIsNeverTrue() throws Exception {
        Files.writeString(dir.resolve("deny.list"), "# nobody yet\n");

        try (LoadedPolicy loaded = load("lists:\n  denied: deny.list\nrules:\n  - name: Deny\n"
                + "    expression: ip.src in $denied\n    action: block\n")) {
            assertThat(loaded.warnings()).extracting(ConfigProblem::toString).containsExactly(yml()
                    + ":2:3: lists.denied: " + dir.resolve("deny.list") + " has no entries, so ip.src in $denied is"
                    + " never true (expected: one line per address to allow, such as 203.0.113.7 bob)");
        }
    }

    @Test
    void hostNameThatDoesNotResolve_warnedAtItsLineInTheList() throws Exception {
        lists("203.0.113.7\ncarol.dyndns.example.net carol\n", "GPTBot\n");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        HostRefresh refresh = new HostRefresh(name -> {
            throw new UnknownHostException(name);
        }, scheduler, Duration.ofMinutes(1), Duration.ofSeconds(10));
        try (LoadedPolicy loaded = PolicyLoader.load(parse(REFERENCE), new SimpleMeterRegistry(), refresh, null)) {
            assertThat(loaded.warnings()).extracting(ConfigProblem::toString).containsExactly(dir.resolve("allow.list")
                    + ":2:1: host name carol.dyndns.example.net does not resolve (UnknownHostException:"
                    + " carol.dyndns.example.net); until it does it matches nothing (expected: a name this machine"
                    + " resolves, checked again every 60s)");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void hostNameThatResolves_noWarning_matches() throws Exception {
        lists("carol.dyndns.example.net carol\n", "GPTBot\n");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        HostRefresh refresh = new HostRefresh(name -> List.of(InetAddress.getByAddress(name, new byte[] {(byte) 203, 0, 113, 8})),
                scheduler, Duration.ofMinutes(1), Duration.ofSeconds(10));
        try (LoadedPolicy loaded = PolicyLoader.load(parse(REFERENCE), new SimpleMeterRegistry(), refresh, null)) {
            assertThat(loaded.warnings()).isEmpty();
            assertThat(loaded.policy().decide(facts("203.0.113.8", "Plex/1.0")).action()).isEqualTo(RuleAction.SKIP);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private void lists(String allow, String bots) throws IOException {
        Files.writeString(dir.resolve("allow.list"), allow);
        Files.writeString(dir.resolve("bots.list"), bots);
    }

    private Path yml() {
        return dir.resolve("plexgate.yml");
    }

    private PolicyConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yml(), yaml).policy();
    }

    private LoadedPolicy load(String yaml) throws ConfigException {
        return PolicyLoader.load(parse(yaml), new SimpleMeterRegistry(), null, null);
    }

    private static RequestFacts facts(String ip, String userAgent) {
        return RequestFacts.builder(IpLiterals.parse(ip)).userAgent(userAgent).build();
    }
}
