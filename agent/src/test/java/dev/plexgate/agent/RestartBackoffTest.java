package dev.plexgate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class RestartBackoffTest {

    private static final Duration QUICK_EXIT = Duration.ofMillis(300);
    private static final Duration STABLE = Duration.ofMinutes(2);

    @Test
    void afterExit_exitsInARow_ceilingDoublesFromOneSecondToSixty() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), STABLE, highest());

        assertThat(IntStream.range(0, 9).mapToObj(i -> backoff.afterExit(QUICK_EXIT).toSeconds()))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void afterExit_fullJitter_anywhereFromZeroToTheCeiling() {
        RestartBackoff lowest = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), STABLE, () -> 0L);
        RestartBackoff seeded = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), STABLE,
                RandomGenerator.of("L64X128MixRandom"));

        assertThat(lowest.afterExit(QUICK_EXIT)).isZero();
        assertThat(lowest.afterExit(QUICK_EXIT)).isZero();
        for (int i = 0; i < 20; i++) {
            Duration ceiling = seeded.ceiling();
            assertThat(seeded.afterExit(QUICK_EXIT)).isBetween(Duration.ZERO, ceiling);
        }
    }

    @Test
    void afterExit_childUpForTheStablePeriod_startsAgainFromTheBase() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), STABLE, highest());
        for (int i = 0; i < 5; i++) {
            backoff.afterExit(QUICK_EXIT);
        }
        assertThat(backoff.ceiling()).hasSeconds(32);

        assertThat(backoff.afterExit(STABLE.minusMillis(1))).hasSeconds(32);
        assertThat(backoff.afterExit(STABLE)).hasSeconds(1);
        assertThat(backoff.afterExit(QUICK_EXIT)).hasSeconds(2);
    }

    @Test
    void ceiling_manyExits_neverOverflows() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), STABLE, highest());
        for (int i = 0; i < 100; i++) {
            backoff.afterExit(QUICK_EXIT);
        }

        assertThat(backoff.ceiling()).hasSeconds(60);
    }

    /** Always the ceiling itself: {@code nextLong(bound)} returns {@code bound - 1}. */
    static RandomGenerator highest() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
    }
}
