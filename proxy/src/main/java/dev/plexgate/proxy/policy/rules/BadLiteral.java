package dev.plexgate.proxy.policy.rules;

/**
 * A literal that cannot be decoded, at chars {@code [from, to)} of the source. The parser records it
 * and goes on, since the structure around the literal is intact.
 */
final class BadLiteral extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int from;
    private final int to;

    BadLiteral(String message, int from, int to) {
        super(message, null, false, false);
        this.from = from;
        this.to = to;
    }

    int from() {
        return from;
    }

    int to() {
        return to;
    }
}
