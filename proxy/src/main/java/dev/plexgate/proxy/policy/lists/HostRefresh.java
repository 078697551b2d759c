package dev.plexgate.proxy.policy.lists;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How an {@link IpList} keeps its host-name entries resolved.
 *
 * @param resolver    looks the names up
 * @param scheduler   runs every resolution, the first one included; shared by all lists, owned by the caller.
 *                    A slow name delays the others of its list, never a request.
 * @param interval    time between the end of one refresh and the start of the next
 * @param initialWait how long {@link IpList#create} waits for the first resolution before it returns a list
 *                    whose unresolved names match nothing yet (they fill in when their answer comes)
 */
public record HostRefresh(HostResolver resolver, ScheduledExecutorService scheduler, Duration interval,
        Duration initialWait) {

    /** Dynamic DNS providers use TTLs of one to five minutes; a minute follows a new address quickly enough. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    /** Long enough for a healthy resolver, short enough that a dead one does not stall a config load. */
    public static final Duration DEFAULT_INITIAL_WAIT = Duration.ofSeconds(2);

    public HostRefresh {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(scheduler, "scheduler");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("refresh interval must be positive, got " + interval);
        }
        if (initialWait.isNegative()) {
            throw new IllegalArgumentException("initial wait must not be negative, got " + initialWait);
        }
    }

    /** The system resolver with the default interval and initial wait. */
    public static HostRefresh system(ScheduledExecutorService scheduler) {
        return new HostRefresh(HostResolver.system(), scheduler, DEFAULT_INTERVAL, DEFAULT_INITIAL_WAIT);
    }
}
