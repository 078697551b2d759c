package dev.plexgate.proxy.policy;

import dev.plexgate.proxy.policy.ratelimit.RateLimiter;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole request policy, in Cloudflare's phase order (DESIGN §3.3):
 * <ol>
 *   <li>custom rules in order — the first {@code block} ends it, a {@code skip} skips what it
 *       names, a {@code log} is noted and evaluation goes on;</li>
 *   <li>rate-limiting rules, unless skipped;</li>
 *   <li>Bot Fight Mode when on ({@code cf.client.bot} blocks), unless skipped.</li>
 * </ol>
 * Built once per config load from compiled rules, immutable apart from the rate limiters'
 * counters, and shared by every event loop. A request that matches several non-terminating rules
 * is reported (event, metric) under the first of them.
 */
public final class Policy {

    /** The name reported for blocks by Bot Fight Mode. */
    public static final String BOT_FIGHT_MODE = "Bot Fight Mode";

    private static final String METER = "plexgate.requests";
    private static final String SENT_METER = "plexgate.client.sent";
    private static final String UNKNOWN_CLIENT = "unknown";

    private final List<CustomRule> rules;
    private final List<RateLimitRule> rateLimitRules;
    private final boolean botFightMode;
    private final BotClassifier bots;
    private final Decision[] ruleDecisions;
    private final List<RateLimiter<InetAddress>> limiters;
    private final Counter[] rateLimitCounters;
    private final Decision allow;
    private final Decision botFightBlock;
    private final boolean readsHeaderLists;
    private final ClientNamer clientNamer;
    private final MeterRegistry registry;
    private final Map<String, Counter> sentBytes = new ConcurrentHashMap<>();

    public Policy(List<CustomRule> rules, List<RateLimitRule> rateLimitRules, boolean botFightMode, BotClassifier bots,
            MeterRegistry registry) {
        this(rules, rateLimitRules, botFightMode, bots, registry, ClientNamer.NONE);
    }

    /**
     * @param clientNamer names clients in {@code plexgate_client_sent_bytes_total} (allow-list entry names)
     */
    public Policy(List<CustomRule> rules, List<RateLimitRule> rateLimitRules, boolean botFightMode, BotClassifier bots,
            MeterRegistry registry, ClientNamer clientNamer) {
        this.clientNamer = clientNamer;
        this.registry = registry;
        this.rules = List.copyOf(rules);
        this.rateLimitRules = List.copyOf(rateLimitRules);
        this.botFightMode = botFightMode;
        this.bots = bots;
        this.ruleDecisions = new Decision[this.rules.size()];
        boolean headers = false;
        for (int i = 0; i < ruleDecisions.length; i++) {
            CustomRule rule = this.rules.get(i);
            ruleDecisions[i] = new Decision(rule.action(), rule.name(), rule.block(), 0,
                    counter(registry, rule.action().label(), rule.name()));
            headers |= readsHeaderLists(rule.expression().fields());
        }
        this.limiters = new ArrayList<>();
        this.rateLimitCounters = new Counter[this.rateLimitRules.size()];
        for (int i = 0; i < rateLimitCounters.length; i++) {
            RateLimitRule rule = this.rateLimitRules.get(i);
            limiters.add(new RateLimiter<>(rule.limit()));
            rateLimitCounters[i] = counter(registry, RuleAction.BLOCK.label(), rule.name());
            headers |= readsHeaderLists(rule.expression().fields());
        }
        this.allow = new Decision(null, "", null, 0, counter(registry, "allow", ""));
        this.botFightBlock = new Decision(RuleAction.BLOCK, BOT_FIGHT_MODE, BlockResponse.DEFAULT, 0,
                counter(registry, RuleAction.BLOCK.label(), BOT_FIGHT_MODE));
        this.readsHeaderLists = headers;
    }

    /** No rules at all: everything is allowed (a config without a policy yet). */
    public static Policy allowAll() {
        return new Policy(List.of(), List.of(), false, userAgent -> false, new SimpleMeterRegistry());
    }

    public Decision decide(RequestFacts facts) {
        Decision noted = null;
        boolean skipRateLimits = false;
        boolean skipBotFight = false;
        for (int i = 0; i < ruleDecisions.length; i++) {
            CustomRule rule = rules.get(i);
            if (!rule.expression().matches(facts)) {
                continue;
            }
            Decision decision = ruleDecisions[i];
            if (rule.action() == RuleAction.BLOCK) {
                return decision;
            }
            if (noted == null) {
                noted = decision;
            }
            if (rule.action() == RuleAction.SKIP) {
                skipRateLimits |= rule.skip().contains(SkipPhase.RATE_LIMIT);
                skipBotFight |= rule.skip().contains(SkipPhase.SBFM);
                if (rule.skip().contains(SkipPhase.CURRENT)) {
                    break;
                }
            }
        }
        if (!skipRateLimits) {
            for (int i = 0; i < limiters.size(); i++) {
                if (rateLimitRules.get(i).expression().matches(facts)) {
                    Duration wait = limiters.get(i).acquire(facts.ipSrc());
                    if (!wait.isZero()) {
                        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                        return new Decision(RuleAction.BLOCK, rateLimitRules.get(i).name(), RATE_LIMITED, seconds,
                                rateLimitCounters[i]);
                    }
                }
            }
        }
        if (botFightMode && !skipBotFight && bots.isBot(facts.userAgent())) {
            return botFightBlock;
        }
        return noted != null ? noted : allow;
    }

    /**
     * The counter of bytes sent to {@code client} ({@code plexgate_client_sent_bytes_total{client}}),
     * labelled with its allow-list name or {@code unknown}. One lookup per exchange: a plain get,
     * since computeIfAbsent's lambda, which reads the registry field, would be a new object each time.
     */
    public Counter sentBytes(InetAddress client) {
        String name = clientNamer.nameFor(client);
        String label = name == null ? UNKNOWN_CLIENT : name;
        Counter counter = sentBytes.get(label);
        return counter != null ? counter : sentBytes.computeIfAbsent(label, absent -> Counter.builder(SENT_METER)
                .description("Response bytes sent to clients, by allow-list entry name")
                .baseUnit("bytes")
                .tag("client", absent)
                .register(registry));
    }

    /** Whether a rule reads the header map or arrays, so the facts must carry every header line. */
    public boolean readsHeaderLists() {
        return readsHeaderLists;
    }

    public List<CustomRule> rules() {
        return rules;
    }

    public List<RateLimitRule> rateLimitRules() {
        return rateLimitRules;
    }

    public boolean botFightMode() {
        return botFightMode;
    }

    /** The answer of a rate-limit block: Cloudflare's 429. */
    private static final BlockResponse RATE_LIMITED = new BlockResponse(429, null, null);

    private static boolean readsHeaderLists(java.util.Set<String> fields) {
        for (String field : fields) {
            if (field.startsWith("http.request.headers")) {
                return true;
            }
        }
        return false;
    }

    private static Counter counter(MeterRegistry registry, String action, String rule) {
        return Counter.builder(METER)
                .description("Requests decided by the policy, by action and by the rule that decided")
                .tag("action", action)
                .tag("rule", rule)
                .register(registry);
    }
}
