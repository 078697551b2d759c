package dev.plexgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.policy.ratelimit.RateLimit;
import dev.plexgate.proxy.policy.rules.CompileContext;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import dev.plexgate.proxy.policy.rules.RulesCompiler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The phase order and the meaning of block, skip and log (RULES.md §8, DESIGN §3.3). */
final class PolicyTest {

    private static final String FRIEND = "203.0.113.7";
    private static final String STRANGER = "198.51.100.9";
    private static final BotClassifier BOTS = ua -> ua.contains("GPTBot");
    private static final CompileContext CONTEXT = new CompileContext(
            Map.of("friends", Cidr.parse(FRIEND + "/32")::contains), Set.of("bots"), BOTS);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static CustomRule rule(String name, String expression, RuleAction action, SkipPhase... skip) {
        try {
            return new CustomRule(name, RulesCompiler.compile(expression, CONTEXT), action, null, Set.of(skip));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RequestFacts request(String client, String userAgent) {
        return RequestFacts.builder(IpLiterals.parse(client)).userAgent(userAgent).uri("/library").build();
    }

    /** The reference setup: skip for friends (everything), block everyone else, block bots. */
    private Policy referenceSetup(boolean botFightMode, List<RateLimitRule> rateLimits) {
        return new Policy(List.of(
                rule("Allow IPs to skip WAF", "ip.src in $friends", RuleAction.SKIP,
                        SkipPhase.CURRENT, SkipPhase.RATE_LIMIT, SkipPhase.SBFM),
                rule("Restrict IPs", "not ip.src in $friends", RuleAction.BLOCK),
                rule("Block bots", "cf.client.bot", RuleAction.BLOCK)), rateLimits, botFightMode, BOTS, registry);
    }

    @Test
    void referenceSetup_friendIsSkippedAndRecorded_strangerIsBlocked() {
        Policy policy = referenceSetup(true, List.of());

        Decision friend = policy.decide(request(FRIEND, "Plex/1.0"));
        assertThat(friend.blocks()).isFalse();
        assertThat(friend.recorded()).isTrue();
        assertThat(friend.action()).isEqualTo(RuleAction.SKIP);
        assertThat(friend.rule()).isEqualTo("Allow IPs to skip WAF");

        Decision stranger = policy.decide(request(STRANGER, "Plex/1.0"));
        assertThat(stranger.blocks()).isTrue();
        assertThat(stranger.rule()).isEqualTo("Restrict IPs");
        assertThat(stranger.response().status()).isEqualTo(403);
    }

    @Test
    void skipAll_letsAFriendsBotThrough_asTheEdgeWould() {
        Decision decision = referenceSetup(true, List.of()).decide(request(FRIEND, "GPTBot/1.0"));
        assertThat(decision.blocks()).as("the skip rule skipped Block bots and Bot Fight Mode").isFalse();
    }

    @Test
    void skipOfCurrentOnly_stillRunsBotFightMode() {
        Policy policy = new Policy(List.of(rule("friends", "ip.src in $friends", RuleAction.SKIP)), List.of(), true,
                BOTS, registry);
        Decision decision = policy.decide(request(FRIEND, "GPTBot/1.0"));
        assertThat(decision.blocks()).isTrue();
        assertThat(decision.rule()).isEqualTo(Policy.BOT_FIGHT_MODE);
    }

    @Test
    void benchPolicy_botsBlockedEvenFromFriends() {
        Policy policy = new Policy(List.of(
                rule("Block bots", "cf.client.bot", RuleAction.BLOCK),
                rule("Restrict IPs", "not ip.src in $friends", RuleAction.BLOCK)), List.of(), false, BOTS, registry);
        assertThat(policy.decide(request(FRIEND, "GPTBot/1.0")).rule()).isEqualTo("Block bots");
        assertThat(policy.decide(request(FRIEND, "Plex/1.0")).recorded()).isFalse();
        assertThat(policy.decide(request(STRANGER, "Plex/1.0")).rule()).isEqualTo("Restrict IPs");
    }

    @Test
    void logRule_isRecordedAndEvaluationGoesOn() {
        Policy policy = new Policy(List.of(
                rule("watch", "http.request.uri.path eq \"/library\"", RuleAction.LOG),
                rule("Restrict IPs", "not ip.src in $friends", RuleAction.BLOCK)), List.of(), false, BOTS, registry);
        Decision friend = policy.decide(request(FRIEND, "Plex/1.0"));
        assertThat(friend.action()).isEqualTo(RuleAction.LOG);
        assertThat(friend.blocks()).isFalse();
        assertThat(policy.decide(request(STRANGER, "Plex/1.0")).rule()).as("the block still applies").isEqualTo("Restrict IPs");
    }

    @Test
    void rateLimit_blocksWith429AndRetryAfter_unlessSkipped() throws Exception {
        RateLimitRule limit = new RateLimitRule("Slow down", RulesCompiler.compile("http.request.uri.path eq \"/library\"",
                CONTEXT), new RateLimit(Duration.ofSeconds(10), 2, Duration.ofSeconds(30)));
        Policy limitedForEveryone = new Policy(List.of(), List.of(limit), false, BOTS, registry);
        limitedForEveryone.decide(request(STRANGER, "x"));
        limitedForEveryone.decide(request(STRANGER, "x"));
        Decision third = limitedForEveryone.decide(request(STRANGER, "x"));
        assertThat(third.blocks()).isTrue();
        assertThat(third.response().status()).isEqualTo(429);
        assertThat(third.retryAfterSeconds()).isEqualTo(30);
        assertThat(third.rule()).isEqualTo("Slow down");

        Policy friendsSkip = referenceSetup(false, List.of(limit));
        for (int i = 0; i < 5; i++) {
            assertThat(friendsSkip.decide(request(FRIEND, "x")).blocks()).isFalse();
        }
    }

    @Test
    void everyDecision_isCountedUnderItsActionAndRule() {
        Policy policy = referenceSetup(false, List.of());
        policy.decide(request(STRANGER, "x")).count();
        policy.decide(request(STRANGER, "x")).count();
        policy.decide(request(FRIEND, "x")).count();
        assertThat(registry.get("plexgate.requests").tag("action", "block").tag("rule", "Restrict IPs").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("plexgate.requests").tag("action", "skip").tag("rule", "Allow IPs to skip WAF")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void noRules_allowsEverythingUnrecorded() {
        Decision decision = Policy.allowAll().decide(request(STRANGER, "GPTBot"));
        assertThat(decision.blocks()).isFalse();
        assertThat(decision.recorded()).isFalse();
    }
}
