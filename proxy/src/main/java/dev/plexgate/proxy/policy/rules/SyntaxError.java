package dev.plexgate.proxy.policy.rules;

/**
 * Stops lexing or parsing at a token after which nothing more can be understood. Errors that leave
 * the structure intact (an unknown field, a type mismatch) are collected instead and parsing goes on.
 */
final class SyntaxError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient RuleError error;

    SyntaxError(RuleError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    RuleError error() {
        return error;
    }
}
