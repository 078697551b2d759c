package dev.plexgate.proxy.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void withinTheLimit_everyRequestPasses() {
        RateLimiter<String> limiter = new RateLimiter<>(new RateLimit(Duration.ofSeconds(10), 5, Duration.ZERO), 100, ticker);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
    }

    @Test
    void overTheLimit_blocksForTheMitigationTimeout() {
        RateLimiter<String> limiter = new RateLimiter<>(new RateLimit(Duration.ofSeconds(10), 3, Duration.ofSeconds(60)), 100, ticker);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        assertThat(limiter.acquire("a")).isEqualTo(Duration.ofSeconds(60));
        advance(Duration.ofSeconds(30));
        assertThat(limiter.acquire("a")).as("still blocked, less to wait").isEqualTo(Duration.ofSeconds(30));
        assertThat(limiter.acquire("b")).as("other clients are not affected").isZero();
        advance(Duration.ofSeconds(31));
        assertThat(limiter.acquire("a")).as("block over, old windows slid out").isZero();
    }

    @Test
    void withoutMitigation_onlyTheExcessIsThrottled() {
        RateLimiter<String> limiter = new RateLimiter<>(new RateLimit(Duration.ofSeconds(10), 2, Duration.ZERO), 100, ticker);
        limiter.acquire("a");
        limiter.acquire("a");
        Duration wait = limiter.acquire("a");
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
        advance(Duration.ofSeconds(20));
        assertThat(limiter.acquire("a")).isZero();
    }

    @Test
    void slidingWindow_weighsThePreviousWindow() {
        RateLimiter<String> limiter = new RateLimiter<>(new RateLimit(Duration.ofSeconds(10), 10, Duration.ZERO), 100, ticker);
        for (int i = 0; i < 10; i++) {
            limiter.acquire("a");
        }
        // Half-way into the next window, half of the previous 10 still count: 5 more fit.
        advance(Duration.ofSeconds(15));
        int allowed = 0;
        while (limiter.acquire("a").isZero()) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void floodOfDistinctClients_staysBounded() {
        RateLimiter<Integer> limiter = new RateLimiter<>(new RateLimit(Duration.ofSeconds(60), 100, Duration.ofSeconds(60)), 1000, ticker);
        for (int i = 0; i < 50_000; i++) {
            limiter.acquire(i);
        }
        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(1000);
    }

    @Test
    void limits_areValidated() {
        assertThatThrownBy(() -> new RateLimit(Duration.ZERO, 1, Duration.ZERO))
                .hasMessage("period PT0S (expected: more than 0s, at most 1d)");
        assertThatThrownBy(() -> new RateLimit(Duration.ofSeconds(10), 0, Duration.ZERO))
                .hasMessage("requests_per_period 0 (expected: 1 to 1000000000)");
    }
}
