/**
 * Rate limiting, Cloudflare's {@code http_ratelimit} phase: a {@link
 * dev.plexgate.proxy.policy.ratelimit.RateLimit} says how many requests a client may make per
 * period, and a {@link dev.plexgate.proxy.policy.ratelimit.RateLimiter} counts them per client in
 * bounded memory. Which requests count is the rule's expression, evaluated by the rules engine.
 */
package dev.plexgate.proxy.policy.ratelimit;
