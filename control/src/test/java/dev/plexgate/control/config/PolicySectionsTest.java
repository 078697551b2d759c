package dev.plexgate.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.plexgate.control.config.PolicyConfig.ConfiguredAction;
import dev.plexgate.control.config.PolicyConfig.ListDefinition;
import dev.plexgate.control.config.PolicyConfig.ListKind;
import dev.plexgate.control.config.PolicyConfig.RateLimitDefinition;
import dev.plexgate.control.config.PolicyConfig.RuleDefinition;
import dev.plexgate.proxy.policy.BlockResponse;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.ratelimit.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lists, rules, rate_limits and bot_fight_mode sections as plexgate.yml binds them. */
final class PolicySectionsTest {

    private static final Path FILE = Path.of("/etc/plexgate/plexgate.yml");
    private static final String RULE = "rules:\n  - name: x\n    expression: ip.src in {192.0.2.1}\n";
    private static final String RATE = "rate_limits:\n  - name: x\n    expression: ip.src in {192.0.2.1}\n";
    private static final String SKIPPABLE =
            "current, rate_limit, sbfm, managed, zoneLockdown, uaBlock, bic, hot, securityLevel, rateLimit, waf";

    @Test
    void noPolicySections_noListsNoRules() throws ConfigException {
        assertThat(ConfigLoader.parse(FILE, "listen: 127.0.0.1:1\n").policy()).isEqualTo(PolicyConfig.NONE);
        assertThat(ConfigLoader.parse(FILE, "lists:\nrules:\nrate_limits: []\n").policy()).isEqualTo(PolicyConfig.NONE);
    }

    @Test
    void lists_shortFormIsAnIpList_longFormNamesTheKind_pathsResolvedAgainstTheConfigDirectory() throws ConfigException {
        PolicyConfig policy = policy("""
                lists:
                  friends: allow.list
                  family: {file: /srv/family.list, kind: ip}
                  bots:
                    file: ../bots.list
                    kind: bots
                bot_fight_mode: true
                """);

        assertThat(policy.lists().values()).containsExactly(
                new ListDefinition("friends", Path.of("/etc/plexgate/allow.list"), ListKind.IP, at(2, 3)),
                new ListDefinition("family", Path.of("/srv/family.list"), ListKind.IP, at(3, 3)),
                new ListDefinition("bots", Path.of("/etc/bots.list"), ListKind.BOTS, at(4, 3)));
        assertThat(policy.botList().name()).isEqualTo("bots");
        assertThat(policy.botFightMode()).isTrue();
    }

    @Test
    void rules_everyKeyBound_inOrder() throws ConfigException {
        PolicyConfig policy = policy("""
                rules:
                  - name: Friends
                    expression: ip.src in {192.0.2.1}
                    action: skip
                    skip: [rules, sbfm]
                  - name: Watch
                    expression: http.request.uri.path contains "/admin"
                    action: log
                  - name: Gone
                    expression: http.host eq "old.example.com"
                    action: block
                    status: 410
                    content: '{"error": "gone"}'
                    content_type: application/json
                  - name: Challenge
                    expression: ip.src.country eq "T1"
                    action: managed_challenge
                """);

        assertThat(policy.rules()).extracting(RuleDefinition::name, RuleDefinition::action, RuleDefinition::block,
                RuleDefinition::skip).containsExactly(
                        tuple("Friends", ConfiguredAction.SKIP, null, Set.of(SkipPhase.CURRENT, SkipPhase.SBFM)),
                        tuple("Watch", ConfiguredAction.LOG, null, Set.of()),
                        tuple("Gone", ConfiguredAction.BLOCK,
                                new BlockResponse(410, "{\"error\": \"gone\"}", "application/json"), Set.of()),
                        tuple("Challenge", ConfiguredAction.MANAGED_CHALLENGE, BlockResponse.DEFAULT, Set.of()));
        assertThat(policy.rules().get(1).expression().text()).isEqualTo("http.request.uri.path contains \"/admin\"");
        assertThat(policy.rules().get(1).at()).isEqualTo(at(6, 5));
        assertThat(policy.rules().get(3).action().local().label()).isEqualTo("block");
    }

    @Test
    void skipRule_withoutSkip_skipsTheRemainingCustomRules() throws ConfigException {
        assertThat(policy(RULE + "    action: skip\n").rules().get(0).skip()).containsExactly(SkipPhase.CURRENT);
    }

    @Test
    void rateLimits_bound_mitigationTimeoutDefaultsToZero() throws ConfigException {
        PolicyConfig policy = policy(RATE + "    period: 1m\n    requests_per_period: 600\n  - name: y\n"
                + "    expression: http.request.uri.path eq \"/login\"\n    period: 10s\n    requests_per_period: 5\n"
                + "    mitigation_timeout: 1h\n");

        assertThat(policy.rateLimits()).extracting(RateLimitDefinition::name, RateLimitDefinition::limit)
                .containsExactly(
                        tuple("x", new RateLimit(Duration.ofMinutes(1), 600, Duration.ZERO)),
                        tuple("y", new RateLimit(Duration.ofSeconds(10), 5, Duration.ofHours(1))));
    }

    @ParameterizedTest
    @MethodSource("badPolicies")
    void badValue_reportedWithFileLineColumnAndExpectation(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    static Stream<Arguments> badPolicies() {
        String f = FILE + ":";
        return Stream.of(
                arguments("lists: [a]\n",
                        f + "1:8: lists: a list is not a mapping (expected: one list a line, such as friends: allow.list)"),
                arguments("lists:\n  Friends: allow.list\n",
                        f + "2:3: lists.Friends: invalid list name (expected: up to 50 lowercase letters, digits and"
                                + " '_', the name rules write after '$')"),
                arguments("lists:\n  friends: 5\n",
                        f + "2:12: lists.friends: '5' is not a file path (expected: a list file, such as allow.list"
                                + " or /etc/plexgate/allow.list)"),
                arguments("lists:\n  friends: {kind: ip}\n",
                        f + "2:12: lists.friends: no file (expected: file: a list file, such as allow.list)"),
                arguments("lists:\n  friends: {file: a.list, kind: patterns}\n",
                        f + "2:33: lists.friends.kind: 'patterns' is not supported (expected: ip or bots)"),
                arguments("lists:\n  friends: {file: a.list, knd: ip}\n",
                        f + "2:27: lists.friends.knd: unknown key, did you mean 'kind'? (expected: one of file, kind)"),
                arguments("lists:\n  a: {file: a.list, kind: bots}\n  b: {file: b.list, kind: bots}\n",
                        f + "3:3: lists.b: a second list of kind bots, after 'a' (expected: one list of kind bots:"
                                + " it alone decides cf.client.bot)"),
                arguments("lists:\n  a: a.list\n  a: b.list\n",
                        f + "3:3: lists.a: repeated key, first set on line 2 (expected: each key once)"),
                arguments("rules: {name: x}\n",
                        f + "1:8: rules: a mapping is not a list (expected: a list, one \"- name: ...\" per item)"),
                arguments("rules:\n  - x\n",
                        f + "2:5: rules[0]: 'x' is not a mapping (expected: keys such as name, expression, action,"
                                + " skip, status, content, content_type)"),
                arguments("rules:\n  - name: x\n",
                        f + "2:5: rules[0]: no expression (expected: expression: a rule such as ip.src in $friends)\n"
                                + f + "2:5: rules[0]: no action (expected: action: block, skip, log, managed_challenge,"
                                + " js_challenge or challenge)"),
                arguments("rules:\n  - name: ''\n    expression: ip.src in {192.0.2.1}\n    action: block\n",
                        f + "2:11: rules[0].name: an empty value is not a name (expected: a name such as Restrict IPs)"),
                arguments(RULE + "    action: deny\n",
                        f + "4:13: rules[0].action: 'deny' is not an action (expected: block, skip, log,"
                                + " managed_challenge, js_challenge or challenge)"),
                arguments(RULE + "    action: block\n" + RATE.replace("rate_limits:\n", "")
                                .replace("x\n", "x\n    action: log\n"),
                        f + "5:11: rules[1].name: 'x' is taken by the rule on line 2 (expected: a name no other rule"
                                + " or rate limit has)"),
                arguments(RULE + "    action: block\n" + RATE + "    period: 10s\n    requests_per_period: 1\n",
                        f + "6:11: rate_limits[0].name: 'x' is taken by the rule on line 2 (expected: a name no"
                                + " other rule or rate limit has)"),
                arguments("rules:\n  - name: x\n    expression: 42\n    action: block\n",
                        f + "3:17: rules[0].expression: '42' is not an expression (expected: a rule such as ip.src in"
                                + " $friends, in quotes if YAML reads it as a number or a boolean)"),
                arguments("rules:\n  - name: x\n    expresion: ip.src in {192.0.2.1}\n    action: block\n",
                        f + "2:5: rules[0]: no expression (expected: expression: a rule such as ip.src in $friends)\n"
                                + f + "3:5: rules[0].expresion: unknown key, did you mean 'expression'? (expected: one"
                                + " of name, expression, action, skip, status, content, content_type)"),
                arguments(RULE + "    action: skip\n    status: 403\n",
                        f + "5:13: rules[0].status: only a block rule has a status (expected: action: block, or no"
                                + " status)"),
                arguments(RULE + "    action: log\n    content: no\n",
                        f + "5:14: rules[0].content: only a block rule has content (expected: action: block, or no"
                                + " content)"),
                arguments(RULE + "    action: managed_challenge\n    status: 403\n",
                        f + "5:13: rules[0].status: only a block rule has a status (expected: action: block, or no"
                                + " status; plexgate answers a challenge with 403)"),
                arguments(RULE + "    action: block\n    skip: [current]\n",
                        f + "5:11: rules[0].skip: only a skip rule skips (expected: action: skip, or no skip)"),
                arguments(RULE + "    action: skip\n    skip: [current, bots]\n",
                        f + "5:21: rules[0].skip[1]: 'bots' is not something a rule can skip (expected: "
                                + SKIPPABLE + ")"),
                arguments(RULE + "    action: skip\n    skip: []\n",
                        f + "5:11: rules[0].skip: an empty list skips nothing (expected: one or more of "
                                + SKIPPABLE + ")"),
                arguments(RULE + "    action: block\n    status: 503\n",
                        f + "5:13: rules[0].status: '503' out of range (expected: 400 to 499)"),
                arguments(RULE + "    action: block\n    content: gone\n",
                        f + "5:14: rules[0].content: has no content_type (expected: content_type: text/html,"
                                + " text/plain, application/json or text/xml)"),
                arguments(RULE + "    action: block\n    content_type: text/plain\n",
                        f + "5:19: rules[0].content_type: without content (expected: content: the response body, or"
                                + " no content_type)"),
                arguments(RULE + "    action: block\n    content: gone\n    content_type: text/csv\n",
                        f + "6:19: rules[0].content_type: 'text/csv' is not supported (expected: text/html or"
                                + " text/plain or application/json or text/xml)"),
                arguments(RULE + "    action: block\n    content: " + "a".repeat(2049) + "\n    content_type: text/plain\n",
                        f + "5:14: rules[0].content: a body of 2049 bytes (expected: at most 2048 bytes, as at"
                                + " Cloudflare)"),
                arguments(RATE + "    period: 30s\n    requests_per_period: 10\n",
                        f + "4:13: rate_limits[0].period: '30s' out of range (expected: 10s, 1m, 2m, 5m, 10m or 1h,"
                                + " the periods Cloudflare offers)"),
                arguments(RATE + "    period: 10s\n    requests_per_period: 0\n",
                        f + "5:26: rate_limits[0].requests_per_period: '0' out of range (expected: 1 to 1000000000)"),
                arguments(RATE + "    period: 10s\n    requests_per_period: 10\n    mitigation_timeout: 2d\n",
                        f + "6:25: rate_limits[0].mitigation_timeout: '2d' out of range (expected: 0s to 1d)"),
                arguments(RATE + "    period: 10s\n    requests_per_period: 10\n    action: block\n",
                        f + "6:5: rate_limits[0].action: unknown key (expected: one of name, expression, period,"
                                + " requests_per_period, mitigation_timeout)"),
                arguments(RATE,
                        f + "2:5: rate_limits[0]: no period (expected: period: 10s, 1m, 2m, 5m, 10m or 1h)\n"
                                + f + "2:5: rate_limits[0]: no requests_per_period (expected: requests_per_period: a"
                                + " whole number such as 100)"),
                arguments("bot_fight_mode: true\n",
                        f + "1:17: bot_fight_mode: true but no list has kind bots (expected: a list of known bots,"
                                + " such as bots: {file: bots.list, kind: bots}, or false)"),
                arguments("bot_fight_mode: yes please\n",
                        f + "1:17: bot_fight_mode: 'yes please' is not a boolean (expected: true or false)"));
    }

    private static PolicyConfig policy(String yaml) throws ConfigException {
        return ConfigLoader.parse(FILE, yaml).policy();
    }

    private static SourceLocation at(int line, int column) {
        return new SourceLocation(FILE, line, column);
    }
}
