package dev.plexgate.control.config;

import dev.plexgate.control.config.PolicyConfig.ListDefinition;
import dev.plexgate.control.config.PolicyConfig.ListKind;
import dev.plexgate.control.config.PolicyConfig.RuleDefinition;
import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.policy.rules.CompiledExpression;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a valid policy does that its author probably did not mean. Only cases that can be told
 * for certain from the config are reported: a warning that is sometimes wrong teaches people to
 * ignore them.
 */
final class PolicyWarnings {

    /** A visitor the allow-list cannot hold (TEST-NET-1), with a Plex app's user agent. */
    private static final RequestFacts STRANGER = RequestFacts.builder(IpLiterals.parse("192.0.2.1"))
            .host("plex.example.com")
            .userAgent("PlexMediaServer/1.40.0")
            .uri("/identity")
            .ssl(true)
            .build();

    private final PolicyConfig config;
    private final Policy policy;
    private final Map<String, IpList> ipLists;
    private final List<ConfigProblem> warnings = new ArrayList<>();

    private PolicyWarnings(PolicyConfig config, Policy policy, Map<String, IpList> ipLists) {
        this.config = config;
        this.policy = policy;
        this.ipLists = ipLists;
    }

    /**
     * @param policy         built from {@code config}, its rules in the same order
     * @param botsClassified whether anything decides {@code cf.client.bot} (a bots list or an override)
     */
    static List<ConfigProblem> find(PolicyConfig config, Policy policy, Map<String, IpList> ipLists,
            boolean botsClassified) {
        PolicyWarnings found = new PolicyWarnings(config, policy, ipLists);
        found.emptyLists();
        found.unusedLists();
        found.rules(botsClassified);
        return found.warnings;
    }

    /** Deny by default made visible: an empty allow-list usually means every tunnel request is blocked. */
    private void emptyLists() {
        String blocker = blockerOfStrangers();
        ipLists.forEach((name, list) -> {
            if (!list.file().entries().isEmpty() || !usedByRules(name)) {
                return;
            }
            ListDefinition definition = config.lists().get(name);
            String consequence = blocker != null && usedBy(blocker, name)
                    ? "rule '" + blocker + "' blocks every request from the tunnel"
                    : "ip.src in $" + name + " is never true";
            warnings.add(definition.at().problem("lists." + name + ": " + definition.file() + " has no entries, so "
                    + consequence + " (expected: one line per address to allow, such as 203.0.113.7 bob)"));
        });
    }

    /** The custom rule that blocks a stranger's plain request, or null when none does. */
    private String blockerOfStrangers() {
        for (CustomRule rule : policy.rules()) {
            if (rule.expression().matches(STRANGER)) {
                if (rule.action() == RuleAction.BLOCK) {
                    return rule.name();
                }
                if (rule.action() == RuleAction.SKIP && rule.skip().contains(SkipPhase.CURRENT)) {
                    return null;
                }
            }
        }
        return null;
    }

    private void unusedLists() {
        for (ListDefinition list : config.lists().values()) {
            boolean used = list.kind() == ListKind.BOTS
                    ? config.botFightMode() || readsBots(policy.rules().stream().map(CustomRule::expression).toList())
                            || readsBots(policy.rateLimitRules().stream().map(rule -> rule.expression()).toList())
                    : usedByRules(list.name());
            if (!used) {
                warnings.add(list.at().problem("lists." + list.name() + ": not used (expected: "
                        + (list.kind() == ListKind.BOTS ? "cf.client.bot in a rule, or bot_fight_mode: true"
                                : "$" + list.name() + " in a rule") + ", or no such list)"));
            }
        }
    }

    private void rules(boolean botsClassified) {
        Map<String, Integer> terminating = new HashMap<>();
        for (int i = 0; i < config.rules().size(); i++) {
            RuleDefinition rule = config.rules().get(i);
            CustomRule compiled = policy.rules().get(i);
            String key = "rules[" + i + "]";
            if (rule.action().challenge()) {
                warnings.add(rule.at().problem(key + ": action " + rule.action().word() + " is Cloudflare's; plexgate"
                        + " blocks with 403 instead (expected: block, skip or log to mean the same in both places)"));
            }
            if (!botsClassified && compiled.expression().fields().contains("cf.client.bot")) {
                warnings.add(rule.expression().at().problem(key + ".expression: cf.client.bot is never true"
                        + " (expected: a list of kind bots, such as bots: {file: bots.list, kind: bots})"));
            }
            String text = normalized(rule.expression().text());
            Integer earlier = terminating.get(text);
            if (earlier != null) {
                RuleDefinition first = config.rules().get(earlier);
                warnings.add(rule.at().problem(key + ": never reached: rule '" + first.name() + "' on line "
                        + first.at().line() + " has the same expression and ends the custom rules first"
                        + " (expected: a different expression, or the rules in another order)"));
            }
            boolean ends = compiled.action() == RuleAction.BLOCK
                    || compiled.action() == RuleAction.SKIP && compiled.skip().contains(SkipPhase.CURRENT);
            if (ends) {
                terminating.putIfAbsent(text, i);
            }
        }
    }

    private boolean usedByRules(String list) {
        return policy.rules().stream().anyMatch(rule -> rule.expression().lists().contains(list))
                || policy.rateLimitRules().stream().anyMatch(rule -> rule.expression().lists().contains(list));
    }

    private boolean usedBy(String ruleName, String list) {
        return policy.rules().stream()
                .anyMatch(rule -> rule.name().equals(ruleName) && rule.expression().lists().contains(list));
    }

    private static boolean readsBots(List<CompiledExpression> expressions) {
        return expressions.stream().anyMatch(expression -> expression.fields().contains("cf.client.bot"));
    }

    /** The same expression however it is spaced. */
    private static String normalized(String expression) {
        return expression.strip().replaceAll("\\s+", " ");
    }
}
