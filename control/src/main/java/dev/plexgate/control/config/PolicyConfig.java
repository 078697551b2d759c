package dev.plexgate.control.config;

import dev.plexgate.proxy.policy.BlockResponse;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.ratelimit.RateLimit;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The policy sections of {@code plexgate.yml} ({@code lists}, {@code rules}, {@code rate_limits},
 * {@code bot_fight_mode}) as written and validated, before any list file is read or any expression
 * compiled: {@link PolicyLoader} does that. Each definition remembers where it is written, so that
 * what is found later is reported at the right line.
 *
 * @param lists        by name, in file order
 * @param rules        the custom rules, in order
 * @param rateLimits   the rate-limiting rules, in order
 * @param botFightMode whether known bots are blocked after the custom rules unless a skip rule skips {@code sbfm}
 */
public record PolicyConfig(Map<String, ListDefinition> lists, List<RuleDefinition> rules,
        List<RateLimitDefinition> rateLimits, boolean botFightMode) {

    /** What a file without these sections means: no lists, no rules, everything allowed. */
    public static final PolicyConfig NONE = new PolicyConfig(Map.of(), List.of(), List.of(), false);

    public PolicyConfig {
        lists = Collections.unmodifiableMap(new LinkedHashMap<>(lists));
        rules = List.copyOf(rules);
        rateLimits = List.copyOf(rateLimits);
    }

    /** The list of kind {@code bots}, which feeds {@code cf.client.bot}, or null when there is none. */
    public ListDefinition botList() {
        return lists.values().stream().filter(list -> list.kind() == ListKind.BOTS).findFirst().orElse(null);
    }

    /** What a list file holds. */
    public enum ListKind {
        /** Addresses, CIDRs and host names, for {@code ip.src in $name}. */
        IP,
        /** User-agent patterns deciding {@code cf.client.bot}; at most one such list. */
        BOTS;

        /** The word in plexgate.yml. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One entry of {@code lists}.
     *
     * @param name as rules write it after {@code $}
     * @param file resolved against the config file's directory
     * @param at   where the entry's name is written
     */
    public record ListDefinition(String name, Path file, ListKind kind, SourceLocation at) {

        public ListDefinition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * An action as written. The challenges are Cloudflare-only: kept as written for the export,
     * enforced locally as a {@code block} with 403.
     */
    public enum ConfiguredAction {
        BLOCK(RuleAction.BLOCK),
        SKIP(RuleAction.SKIP),
        LOG(RuleAction.LOG),
        MANAGED_CHALLENGE(RuleAction.BLOCK),
        JS_CHALLENGE(RuleAction.BLOCK),
        CHALLENGE(RuleAction.BLOCK);

        private final RuleAction local;

        ConfiguredAction(RuleAction local) {
            this.local = local;
        }

        /** The word in plexgate.yml, which is also Cloudflare's action name. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What plexgate does for it. */
        public RuleAction local() {
            return local;
        }

        /** True for the actions only Cloudflare can carry out. */
        public boolean challenge() {
            return this == MANAGED_CHALLENGE || this == JS_CHALLENGE || this == CHALLENGE;
        }

        /** The action written as {@code word}, or null. */
        static ConfiguredAction byWord(String word) {
            for (ConfiguredAction action : values()) {
                if (action.word().equals(word)) {
                    return action;
                }
            }
            return null;
        }
    }

    /**
     * One custom rule.
     *
     * @param name       unique among rules and rate limits; names the rule in events, metrics and block pages
     * @param expression the Rules language text and where it is written
     * @param action     as written
     * @param block      the response of a block (and of a challenge, always the default); null for skip and log
     * @param skip       what a skip rule skips ({@code current} unless it says otherwise); empty for other actions
     * @param at         where the rule's list item starts
     */
    public record RuleDefinition(String name, ExpressionSource expression, ConfiguredAction action,
            BlockResponse block, Set<SkipPhase> skip, SourceLocation at) {

        public RuleDefinition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(at, "at");
            skip = skip.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(skip));
        }
    }

    /**
     * One rate-limiting rule; its action is always a block with 429, counted per {@code ip.src}.
     *
     * @param name       unique among rules and rate limits
     * @param expression which requests count
     * @param limit      period, requests per period and mitigation timeout
     * @param at         where the rate limit's list item starts
     */
    public record RateLimitDefinition(String name, ExpressionSource expression, RateLimit limit, SourceLocation at) {

        public RateLimitDefinition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(at, "at");
        }
    }
}
