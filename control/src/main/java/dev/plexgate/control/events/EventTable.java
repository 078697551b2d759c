package dev.plexgate.control.events;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The readable form of events: one aligned row each, within about 120 columns, the request
 * (method, host and path) shortened to what is left. Times are UTC, like the file.
 */
public final class EventTable {

    private static final int WIDTH = 120;
    private static final int MIN_REQUEST = 20;
    private static final int RULE = 20;
    private static final String ROW = "%-19s %-6s %-6s %-15s %-2s %-" + RULE + "s ";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private EventTable() {
    }

    public static String header() {
        return String.format(ROW, "TIME (UTC)", "ACTION", "STATUS", "CLIENT", "CC", "RULE") + "REQUEST";
    }

    public static String row(EventLine event) {
        String prefix = String.format(ROW, TIME.format(event.time()), event.action(),
                event.status() == 0 ? "-" : Integer.toString(event.status()), event.client(),
                event.country().isEmpty() ? "-" : event.country(), shorten(event.rule(), RULE));
        String request = event.method() + " " + event.host() + event.path();
        return prefix + shorten(request, Math.max(MIN_REQUEST, WIDTH - prefix.length()));
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }
}
