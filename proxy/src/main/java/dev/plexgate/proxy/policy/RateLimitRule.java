package dev.plexgate.proxy.policy;

import dev.plexgate.proxy.policy.ratelimit.RateLimit;
import dev.plexgate.proxy.policy.rules.CompiledExpression;
import java.util.Objects;

/**
 * One rule of the {@code http_ratelimit} phase: requests matching {@code expression} are counted
 * per client address ({@code ip.src}, the only counting characteristic plexgate offers) and a
 * client over {@code limit} gets {@code 429} with {@code Retry-After}.
 */
public record RateLimitRule(String name, CompiledExpression expression, RateLimit limit) {

    public RateLimitRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(limit, "limit");
    }
}
