package dev.plexgate.proxy.policy.rules;

import java.nio.charset.StandardCharsets;

/**
 * The expression as written, with the bounds of its trimmed part. Tokens carry char indexes into
 * the untrimmed text; this turns them into the byte offset, line and column that errors report.
 */
final class SourceText {

    private final String text;
    private final int start;
    private final int end;

    SourceText(String text) {
        this.text = text;
        int from = 0;
        int to = text.length();
        while (from < to && isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        this.start = from;
        this.end = to;
    }

    /** The Rules language's whitespace; TAB is not part of it (wirefilter rejects it). */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r';
    }

    String text() {
        return text;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    char charAt(int index) {
        return text.charAt(index);
    }

    String slice(int from, int to) {
        return text.substring(from, to);
    }

    /** An error located at chars {@code [from, to)} of the untrimmed text. */
    RuleError error(RuleError.Category category, String message, int from, int to) {
        int lineStart = text.lastIndexOf('\n', from - 1) + 1;
        int lineEnd = text.indexOf('\n', from);
        if (lineEnd < 0) {
            lineEnd = text.length();
        }
        if (lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r') {
            lineEnd--;
        }
        int line = 1;
        for (int i = 0; i < lineStart; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        int column = text.codePointCount(lineStart, Math.min(from, lineEnd)) + 1 + Math.max(0, from - lineEnd);
        int length = Math.max(1, text.codePointCount(Math.min(from, lineEnd), Math.min(Math.max(to, from), lineEnd)));
        int offset = text.substring(0, from).getBytes(StandardCharsets.UTF_8).length;
        return new RuleError(category, message, offset, line, column, length, text.substring(lineStart, lineEnd));
    }
}
