package dev.plexgate.control.export;

import dev.plexgate.proxy.policy.CustomRule;
import java.util.Objects;

/**
 * A custom rule as the edge gets it.
 *
 * @param rule   the compiled rule plexgate enforces
 * @param action the action word for Cloudflare: the rule's own, or a Cloudflare-only action such as
 *               {@code managed_challenge} that plexgate enforces as a block (RULES.md §8)
 */
public record EdgeRule(CustomRule rule, String action) {

    public EdgeRule {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
    }

    /** The rule with its own action. */
    public static EdgeRule of(CustomRule rule) {
        return new EdgeRule(rule, rule.action().label());
    }
}
