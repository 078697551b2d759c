package dev.plexgate.proxy.policy;

import dev.plexgate.proxy.policy.rules.CompiledExpression;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of the {@code http_request_firewall_custom} phase, compiled.
 *
 * @param name       shown in events, metrics, block pages and the export
 * @param expression when it applies
 * @param action     what it does then
 * @param block      the answer of a {@code block} rule (ignored otherwise)
 * @param skip       what a {@code skip} rule skips (ignored otherwise); never empty for a skip
 */
public record CustomRule(String name, CompiledExpression expression, RuleAction action, BlockResponse block,
        Set<SkipPhase> skip) {

    public CustomRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(action, "action");
        block = block != null ? block : BlockResponse.DEFAULT;
        skip = skip == null || skip.isEmpty() ? Set.of(SkipPhase.CURRENT) : Set.copyOf(EnumSet.copyOf(skip));
    }
}
