package dev.plexgate.control.events;

import java.time.Instant;

/**
 * Which events to show.
 *
 * @param action only this action ({@code block}, {@code skip}, {@code log}), or null for all
 * @param since  only events at or after this time, or null for all
 */
public record EventFilter(String action, Instant since) {

    public static final EventFilter ALL = new EventFilter(null, null);

    public boolean accepts(EventLine event) {
        return (action == null || action.equals(event.action()))
                && (since == null || !event.time().isBefore(since));
    }
}
