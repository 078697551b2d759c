package dev.plexgate.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection deadline that is moved often and rarely fires, like Netty's
 * {@code IdleStateHandler}: setting or clearing it only writes a field, and the single scheduled
 * check re-arms itself for the current deadline when it wakes too early. Scheduling and
 * cancelling a task for every request showed in profiles; this schedules about once per
 * timeout period. {@link #stop} cancels the pending check: a scheduled task holds the whole
 * connection (its pipeline, buffers, TLS engine) until it runs, and a stream's check is an hour
 * away, so a closed connection must not leave one behind. Event-loop confined.
 */
final class Deadline {

    private static final long NONE = Long.MAX_VALUE;

    private final EventExecutor executor;
    private final Runnable onExpiry;
    private long deadlineNanos = NONE;
    /** When the pending check runs, or {@link #NONE} when no check is scheduled. */
    private long checkAtNanos = NONE;
    private boolean stopped;
    private ScheduledFuture<?> pending;

    Deadline(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    /** Expires {@code nanos} from now unless set again or cleared before then. */
    void setIn(long nanos) {
        long now = System.nanoTime();
        deadlineNanos = now + nanos;
        if (deadlineNanos < checkAtNanos && !stopped) {
            schedule(now, deadlineNanos);
        }
    }

    void clear() {
        deadlineNanos = NONE;
    }

    /** For good: the connection is closing. */
    void stop() {
        stopped = true;
        deadlineNanos = NONE;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void schedule(long now, long at) {
        checkAtNanos = at;
        if (pending != null) {
            pending.cancel(false);
        }
        pending = executor.schedule(this::check, Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    private void check() {
        checkAtNanos = NONE;
        pending = null;
        if (deadlineNanos == NONE || stopped) {
            return;
        }
        long now = System.nanoTime();
        if (now - deadlineNanos >= 0) {
            deadlineNanos = NONE;
            onExpiry.run();
        } else {
            schedule(now, deadlineNanos);
        }
    }
}
