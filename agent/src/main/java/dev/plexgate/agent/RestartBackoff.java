package dev.plexgate.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before starting cloudflared again after it exited: exponential backoff with
 * full jitter, a random delay from zero up to a ceiling that starts at {@code base} and doubles with
 * every exit in a row, up to {@code max}. A child that stayed up for {@code stablePeriod} starts
 * the count again. Full jitter keeps many hosts that lost the edge together from coming back in step.
 *
 * <p>Time is a parameter, not read here, and the random source is given, so that tests check the
 * delays without waiting for them (as Caffeine's {@code Pacer} does).
 */
final class RestartBackoff {

    private final Duration base;
    private final Duration max;
    private final Duration stablePeriod;
    private final RandomGenerator random;
    private int exitsInARow;

    RestartBackoff(Duration base, Duration max, Duration stablePeriod, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.stablePeriod = stablePeriod;
        this.random = random;
    }

    /** The delay before the next start, for a child that ran for {@code uptime} before it exited. */
    Duration afterExit(Duration uptime) {
        if (uptime.compareTo(stablePeriod) >= 0) {
            exitsInARow = 0;
        }
        Duration ceiling = ceiling();
        exitsInARow++;
        return Duration.ofNanos(random.nextLong(ceiling.toNanos() + 1));
    }

    /** The most the next delay can be: {@code base} doubled once per exit in a row, at most {@code max}. */
    Duration ceiling() {
        // Past 2^30 times the base any sane maximum is reached; the shift must not overflow.
        int doublings = Math.min(exitsInARow, 30);
        long nanos = base.toNanos();
        return nanos > max.toNanos() >> doublings ? max : Duration.ofNanos(nanos << doublings);
    }
}
