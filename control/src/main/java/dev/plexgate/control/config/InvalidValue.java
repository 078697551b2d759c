package dev.plexgate.control.config;

/**
 * A value that a {@link ValueParser} refused. The message is the value, the problem and what was
 * expected; the section puts the key path and position in front of it.
 */
final class InvalidValue extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidValue(String message) {
        super(message, null, false, false);
    }

    /** {@code '5' has no unit (expected: a duration such as 10s)}: the one shape of every message. */
    static InvalidValue of(YamlNode node, String problem, String expected) {
        return new InvalidValue(node.describe() + " " + problem + " (expected: " + expected + ")");
    }

    /**
     * A value that parsed but that a settings record's constructor refused; its message ends with
     * the {@code (expected: …)} part that is reused here.
     */
    static InvalidValue rejected(YamlNode node, IllegalArgumentException e) {
        String reason = e.getMessage();
        int expected = reason.indexOf("(expected: ");
        return new InvalidValue(expected < 0
                ? node.describe() + " is not allowed: " + reason
                : node.describe() + " out of range " + reason.substring(expected));
    }
}
