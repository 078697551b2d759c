package dev.plexgate.proxy.policy.rules;

import java.util.Objects;

/**
 * One reason an expression was rejected, located in the expression as written (before trimming).
 *
 * @param category   what kind of mistake it is
 * @param message    what was expected and what was found, without the location
 * @param offset     0-based byte offset (UTF-8) of the offending token in the untrimmed expression
 * @param line       1-based line of the offending token
 * @param column     1-based column (characters) of the offending token on its line
 * @param length     characters the token spans on its line (at least 1; end of input is 1)
 * @param sourceLine the whole line that holds the token, for the caret display
 */
public record RuleError(Category category, String message, int offset, int line, int column, int length,
        String sourceLine) {

    /** The kinds of rejection, as RULES.md §7 lists them. */
    public enum Category {
        /** A name that is not a field of RULES.md §6. */
        UNKNOWN_FIELD,
        /** A call of a function that RULES.md §4 does not list. */
        UNKNOWN_FUNCTION,
        /** A {@code $name} that the configuration does not define, or of the wrong kind. */
        UNKNOWN_LIST,
        /** A value of one type where another is needed ({@code ip.src eq "1.2.3.4"}). */
        TYPE_MISMATCH,
        /** An operator the operand's type does not support ({@code ip.src contains ...}). */
        UNSUPPORTED_OPERATOR,
        /** A malformed string, escape, IP, CIDR, integer, regex or wildcard literal. */
        BAD_LITERAL,
        /** A token that cannot stand where it is. */
        UNEXPECTED_TOKEN,
        /** An operator or keyword with nothing after it. */
        MISSING_OPERAND,
        /** Input left after a complete expression. */
        TRAILING_INPUT,
        /** A {@code (} without {@code )} or the other way round. */
        UNBALANCED_PARENTHESIS,
        /** Nothing but whitespace. */
        EMPTY_EXPRESSION,
        /** Longer than 4096 characters or nested deeper than 128. */
        LIMIT_EXCEEDED
    }

    public RuleError {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(sourceLine, "sourceLine");
    }

    /**
     * The error as wirefilter prints it: {@code location:line:column: message}, then the source line
     * and carets under the offending span.
     */
    public String render(String location) {
        return location + ":" + line + ":" + column + ": " + message + "\n" + sourceLine + "\n"
                + " ".repeat(column - 1) + "^".repeat(length);
    }
}
