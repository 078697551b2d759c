package dev.plexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicInteger expiries = new AtomicInteger();
    private final Deadline deadline = new Deadline(channel.eventLoop(), expiries::incrementAndGet);

    @Test
    void stopCancelsThePendingCheck_soAClosedConnectionIsNotHeldUntilItsTime() {
        deadline.setIn(TimeUnit.HOURS.toNanos(1));
        assertThat(channel.runScheduledPendingTasks()).as("one check pending").isPositive();

        deadline.stop();

        assertThat(channel.runScheduledPendingTasks()).as("no task left to hold the connection").isEqualTo(-1);
        assertThat(expiries).hasValue(0);
    }

    @Test
    void anEarlierDeadlineReplacesTheLaterCheck_oneTaskAtATime() {
        deadline.setIn(TimeUnit.HOURS.toNanos(1));
        deadline.setIn(TimeUnit.SECONDS.toNanos(10));

        long nextCheckNanos = channel.runScheduledPendingTasks();

        assertThat(nextCheckNanos).isBetween(0L, TimeUnit.SECONDS.toNanos(10));
        deadline.stop();
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1);
    }

    @Test
    void expiresOnceItsTimeHasPassed() {
        deadline.setIn(0);

        channel.runScheduledPendingTasks();

        assertThat(expiries).hasValue(1);
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1);
    }
}
