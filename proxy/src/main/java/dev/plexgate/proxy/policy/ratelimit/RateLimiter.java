package dev.plexgate.proxy.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Counts requests per client for one {@link RateLimit} and says when a client is over it.
 *
 * <p>The rate is a sliding-window estimate, as at Cloudflare: the previous fixed window's count
 * weighted by how much of it still overlaps the last {@code period}, plus the current window's
 * count. Two counters per client, no per-request history, so memory is bounded by the number
 * of clients — and that is bounded too: the state lives in a Caffeine cache with a maximum size,
 * so a flood of distinct addresses evicts old entries instead of exhausting memory (at worst a
 * client evicted mid-window is counted afresh). Thread-safe: each client's state is updated
 * under its own monitor, which only the event loops serving that client contend for.
 *
 * @param <K> the counting characteristic: the client address
 */
public final class RateLimiter<K> {

    /** Clients tracked at once per rule; beyond it the least recently seen are forgotten. */
    public static final long DEFAULT_MAX_CLIENTS = 100_000;

    private final RateLimit limit;
    private final long periodNanos;
    private final long mitigationNanos;
    private final Ticker ticker;
    private final Cache<K, Window> windows;

    public RateLimiter(RateLimit limit) {
        this(limit, DEFAULT_MAX_CLIENTS, Ticker.systemTicker());
    }

    public RateLimiter(RateLimit limit, long maxClients, Ticker ticker) {
        this.limit = limit;
        this.periodNanos = limit.period().toNanos();
        this.mitigationNanos = limit.mitigationTimeout().toNanos();
        this.ticker = ticker;
        // Idle past two windows and any block, a client's counts no longer matter.
        Duration forgetAfter = limit.period().multipliedBy(2).plus(limit.mitigationTimeout());
        this.windows = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfterAccess(forgetAfter)
                .ticker(ticker)
                .build();
    }

    public RateLimit limit() {
        return limit;
    }

    /**
     * Counts one request of {@code client} and returns how long it must wait: zero when the
     * request is within the limit, else the time until the client may try again (for
     * {@code Retry-After}).
     */
    public Duration acquire(K client) {
        long now = ticker.read();
        Window window = windows.get(client, key -> new Window(now));
        long waitNanos = window.count(now, periodNanos, limit.requestsPerPeriod(), mitigationNanos);
        return waitNanos == 0 ? Duration.ZERO : Duration.ofNanos(waitNanos);
    }

    /** Clients currently tracked (for tests and metrics); approximate while evictions run. */
    public long trackedClients() {
        windows.cleanUp();
        return windows.estimatedSize();
    }

    /** One client's counters: the current fixed window, the previous one, and any block. */
    private static final class Window {
        private long start;
        private long current;
        private long previous;
        private long blockedUntil;

        Window(long now) {
            this.start = now;
        }

        synchronized long count(long now, long period, long allowed, long mitigation) {
            if (blockedUntil != 0 && now - blockedUntil < 0) {
                return blockedUntil - now;
            }
            long elapsed = now - start;
            if (elapsed >= period) {
                long windowsPassed = elapsed / period;
                previous = windowsPassed == 1 ? current : 0;
                current = 0;
                start += windowsPassed * period;
                elapsed -= windowsPassed * period;
            }
            double overlap = (double) (period - elapsed) / period;
            double estimate = previous * overlap + current + 1;
            if (estimate > allowed) {
                if (mitigation > 0) {
                    blockedUntil = now + mitigation;
                    return mitigation;
                }
                // Throttle only: wait until enough of the previous window has slid out.
                return Math.max(1, period - elapsed);
            }
            current++;
            return 0;
        }
    }
}
