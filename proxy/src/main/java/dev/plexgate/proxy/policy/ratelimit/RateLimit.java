package dev.plexgate.proxy.policy.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One rate-limiting rule's numbers, as in Cloudflare's {@code http_ratelimit} phase: more than
 * {@code requestsPerPeriod} matching requests from one client within {@code period} block that
 * client for {@code mitigationTimeout} (zero: only the requests over the rate are blocked).
 */
public record RateLimit(Duration period, long requestsPerPeriod, Duration mitigationTimeout) {

    public RateLimit {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(mitigationTimeout, "mitigation_timeout");
        if (period.isNegative() || period.isZero() || period.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("period " + period + " (expected: more than 0s, at most 1d)");
        }
        if (requestsPerPeriod < 1 || requestsPerPeriod > 1_000_000_000L) {
            throw new IllegalArgumentException("requests_per_period " + requestsPerPeriod
                    + " (expected: 1 to 1000000000)");
        }
        if (mitigationTimeout.isNegative() || mitigationTimeout.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("mitigation_timeout " + mitigationTimeout
                    + " (expected: 0s to 1d)");
        }
    }
}
