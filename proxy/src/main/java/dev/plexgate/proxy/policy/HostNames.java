package dev.plexgate.proxy.policy;

/**
 * RFC 1123 host name syntax, the one check behind every host name plexgate accepts: allow-list
 * entries, {@code upstream_tls.server_name}, the names of {@code plexgate tls init} and the
 * export's public host name. Names that could be mistaken for an IPv4 literal are refused.
 */
public final class HostNames {

    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private HostNames() {
    }

    /** Whether {@code text} is a host name, without a trailing dot (as SNI and certificates want it). */
    public static boolean isValid(String text) {
        try {
            check(text, false);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Checks {@code text}; errors quote it as written.
     *
     * @param fullyQualified whether one trailing dot ({@code plexbox.example.}) is allowed
     * @throws IllegalArgumentException saying which rule the name breaks
     */
    public static void check(String text, boolean fullyQualified) {
        String body = fullyQualified && text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (body.isEmpty() || !body.chars().allMatch(c -> c == '.' || c == '-' || isDigit(c) || isLetter(c))) {
            throw new IllegalArgumentException("'" + text + "' is not a host name (expected: letters, digits, '-' and"
                    + " dots)");
        }
        if (body.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("host name '" + text + "' is longer than " + MAX_LENGTH + " characters");
        }
        String[] labels = body.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("host name '" + text
                        + "' has an empty label (expected: labels separated by single dots)");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("label '" + label + "' of host name '" + text
                        + "' is longer than " + MAX_LABEL_LENGTH + " characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("label '" + label + "' of host name '" + text
                        + "' starts or ends with '-' (expected: letters or digits at both ends)");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(HostNames::isDigit)) {
            throw new IllegalArgumentException("host name '" + text
                    + "' ends in an all-digit label (expected: a top-level name such as 'net')");
        }
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
