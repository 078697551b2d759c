package dev.plexgate.agent;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in cloudflared's lines before they reach plexgate's log: the tunnel token itself,
 * anything that looks like one (a long run of base64 mixing upper case, lower case and digits: a
 * token, a secret or a credentials blob), and the value of an {@code X-Plex-Token} or
 * {@code TUNNEL_TOKEN}, which cloudflared may echo from a request URL or an error.
 */
final class LogRedaction {

    static final String REDACTED = "REDACTED";

    private static final Pattern NAMED_SECRET = Pattern.compile(
            "(?i)((?:X-Plex-Token|X-Plex-Device-Notification-Token|TUNNEL_TOKEN)\"?\\s*[=:]\\s*[\"']?)"
                    + "[^&\\s\"',;\\]}]+");
    /** UUIDs (lowercase hex with dashes, 36 characters) stay: they are ids, not secrets. */
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{32,}={0,2}");

    private final String token;

    /** {@code token}: the exact value to mask; null when there is none. */
    LogRedaction(String token) {
        this.token = token;
    }

    String redact(String line) {
        String text = token == null || token.isEmpty() ? line : line.replace(token, REDACTED);
        text = NAMED_SECRET.matcher(text).replaceAll("$1" + REDACTED);
        Matcher run = BASE64_RUN.matcher(text);
        StringBuilder redacted = new StringBuilder(text.length());
        while (run.find()) {
            run.appendReplacement(redacted, looksRandom(run.group()) ? REDACTED : "$0");
        }
        run.appendTail(redacted);
        return redacted.toString();
    }

    /** Encoded random bytes mix all three kinds of character; words, paths and ids do not. */
    private static boolean looksRandom(String run) {
        return run.chars().anyMatch(Character::isUpperCase) && run.chars().anyMatch(Character::isLowerCase)
                && run.chars().anyMatch(Character::isDigit);
    }
}
