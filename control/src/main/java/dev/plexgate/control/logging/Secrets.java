package dev.plexgate.control.logging;

import java.util.regex.Pattern;

/**
 * Masks secrets in text bound for a log, as a safety net under code that should not have logged
 * them in the first place (DESIGN §8, §10): Plex tokens in a query string
 * ({@code X-Plex-Token=abc}), a header ({@code X-Plex-Token: abc}) or JSON
 * ({@code "X-Plex-Token":"abc"}), and the tunnel token as an environment assignment
 * ({@code TUNNEL_TOKEN=eyJ...}).
 */
public final class Secrets {

    public static final String REDACTED = "REDACTED";

    /**
     * The name, its separator, then the value up to a character that cannot be part of a token.
     * Plex tokens are letters, digits, '-' and '_'; tunnel tokens are base64 (with '+', '/', '=').
     */
    private static final Pattern SECRET = Pattern.compile(
            "(?i)((?:X-Plex-Token|X-Plex-Device-Notification-Token|TUNNEL_TOKEN)\"?\\s*[=:]\\s*[\"']?)[^&\\s\"',;\\]}]+");

    private Secrets() {
    }

    /** {@code text} with every secret value replaced by {@value #REDACTED}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return SECRET.matcher(text).replaceAll("$1" + REDACTED);
    }
}
