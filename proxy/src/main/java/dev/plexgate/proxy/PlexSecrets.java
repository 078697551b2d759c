package dev.plexgate.proxy;

/**
 * Masks the values of Plex's secret query parameters, {@code X-Plex-Token} and
 * {@code X-Plex-Device-Notification-Token} (DESIGN §10), in a request target before it is
 * written anywhere. Parameter names match case-insensitively and percent-encoded, as a server
 * that decodes them would read them. A plain scan, cheap enough for the request path: a target
 * without a secret is returned as the same instance.
 */
public final class PlexSecrets {

    public static final String REDACTED = "REDACTED";

    private static final String[] SECRET_PARAMETERS = {"X-Plex-Token", "X-Plex-Device-Notification-Token"};

    private PlexSecrets() {
    }

    /** {@code /a?X-Plex-Token=abc&x=1} becomes {@code /a?X-Plex-Token=REDACTED&x=1}. */
    public static String redactQuery(String target) {
        if (target == null) {
            return null;
        }
        int query = target.indexOf('?');
        if (query < 0) {
            return target;
        }
        int end = target.indexOf('#', query);
        if (end < 0) {
            end = target.length();
        }
        StringBuilder redacted = null;
        int copied = 0;
        int start = query + 1;
        while (start <= end) {
            int next = indexOf(target, '&', start, end);
            int equals = indexOf(target, '=', start, next);
            if (equals < next - 1 && isSecret(target, start, equals)) {
                if (redacted == null) {
                    redacted = new StringBuilder(target.length());
                }
                redacted.append(target, copied, equals + 1).append(REDACTED);
                copied = next;
            }
            start = next + 1;
        }
        return redacted == null ? target : redacted.append(target, copied, target.length()).toString();
    }

    /** The first {@code c} in {@code [from, to)}, or {@code to}. */
    private static int indexOf(String text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }

    private static boolean isSecret(String text, int from, int to) {
        for (String name : SECRET_PARAMETERS) {
            if (nameEquals(text, from, to, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text[from, to)}, percent-decoded, is {@code name} ignoring ASCII case. */
    private static boolean nameEquals(String text, int from, int to, String name) {
        int i = from;
        int matched = 0;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < to) {
                int high = hex(text.charAt(i + 1));
                int low = hex(text.charAt(i + 2));
                if (high >= 0 && low >= 0) {
                    c = (char) (high << 4 | low);
                    i += 2;
                }
            }
            if (matched == name.length() || asciiLower(c) != asciiLower(name.charAt(matched))) {
                return false;
            }
            matched++;
            i++;
        }
        return matched == name.length();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = asciiLower(c);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
