package dev.plexgate.proxy.events;

import dev.plexgate.proxy.PlexSecrets;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One request that matched a {@code block}, {@code skip} or {@code log} rule (DESIGN §3.6). Absent
 * texts are empty, never null; the path loses its Plex tokens here, before the event goes anywhere.
 *
 * @param time      when the request was decided
 * @param ray       the {@code Cf-Ray} header, or empty
 * @param client    the resolved client address
 * @param country   {@code CF-IPCountry} from a trusted peer, or empty
 * @param method    the request method
 * @param host      the {@code Host} header
 * @param path      the request target, path and query
 * @param userAgent the {@code User-Agent} header, or empty
 * @param rule      the name of the rule that matched
 * @param action    what the rule did
 * @param status    the status sent when the rule ended the request, else 0
 */
public record SecurityEvent(Instant time, String ray, String client, String country, String method, String host,
        String path, String userAgent, String rule, Action action, int status) {

    /** The rule actions that leave an event, named as in the rules and the JSON lines. */
    public enum Action {
        BLOCK, SKIP, LOG;

        private final String label = name().toLowerCase(Locale.ROOT);

        /** {@code block}, {@code skip} or {@code log}. */
        public String label() {
            return label;
        }
    }

    public SecurityEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        ray = orEmpty(ray);
        client = orEmpty(client);
        country = orEmpty(country);
        method = orEmpty(method);
        host = orEmpty(host);
        path = orEmpty(PlexSecrets.redactQuery(path));
        userAgent = orEmpty(userAgent);
        rule = orEmpty(rule);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
