package dev.plexgate.control.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps each character of a string scalar's value back to its line and column in the document.
 *
 * <p>The value is re-read from the raw text the way YAML writes it (quotes and their escapes,
 * block scalar indentation) and compared with what the parser produced; positions are kept for the
 * longest prefix on which both agree, so that a form this class does not follow costs precision,
 * never a wrong position.
 */
record ScalarPositions(int[] lines, int[] columns) {

    private static final ScalarPositions NONE = new ScalarPositions(new int[0], new int[0]);

    static ScalarPositions map(YamlNode.Scalar node, String document) {
        String[] rows = document.split("\r?\n", -1);
        if (node.line() < 1 || node.line() > rows.length) {
            return NONE;
        }
        String row = rows[node.line() - 1];
        int start = node.column() - 1;
        if (start < 0 || start >= row.length()) {
            return NONE;
        }
        Reading reading = new Reading();
        char first = row.charAt(start);
        switch (first) {
            case '\'' -> singleQuoted(row, node.line(), start + 1, reading);
            case '"' -> doubleQuoted(row, node.line(), start + 1, reading);
            case '|', '>' -> block(rows, node.line(), reading);
            default -> plain(row, node.line(), start, reading);
        }
        return reading.agreeWith(node.text(), first == '>');
    }

    private static void plain(String row, int line, int start, Reading reading) {
        for (int i = start; i < row.length(); i++) {
            reading.add(row.charAt(i), line, i + 1);
        }
    }

    private static void singleQuoted(String row, int line, int from, Reading reading) {
        for (int i = from; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '\'') {
                if (i + 1 < row.length() && row.charAt(i + 1) == '\'') {
                    reading.add('\'', line, i + 1);
                    i++;
                    continue;
                }
                return;
            }
            reading.add(c, line, i + 1);
        }
    }

    private static void doubleQuoted(String row, int line, int from, Reading reading) {
        for (int i = from; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '"') {
                return;
            }
            if (c != '\\') {
                reading.add(c, line, i + 1);
                continue;
            }
            if (i + 1 >= row.length()) {
                return;
            }
            char escaped = switch (row.charAt(i + 1)) {
                case '\\' -> '\\';
                case '"' -> '"';
                case '/' -> '/';
                case 'n' -> '\n';
                case 't' -> '\t';
                case ' ' -> ' ';
                default -> 0;
            };
            if (escaped == 0) {
                return; // rarer escapes: the rest is located at the value's start
            }
            reading.add(escaped, line, i + 1);
            i++;
        }
    }

    /** Block scalars: content lines after the indicator, indented as the first non-blank one. */
    private static void block(String[] rows, int indicatorLine, Reading reading) {
        int indent = -1;
        for (int index = indicatorLine; index < rows.length; index++) {
            String row = rows[index];
            if (row.isBlank()) {
                reading.add('\n', index + 1, row.length() + 1);
                continue;
            }
            int leading = row.length() - row.stripLeading().length();
            if (indent < 0) {
                indent = leading;
            } else if (leading < indent) {
                return;
            }
            for (int i = indent; i < row.length(); i++) {
                reading.add(row.charAt(i), index + 1, i + 1);
            }
            reading.add('\n', index + 1, row.length() + 1);
        }
    }

    /** The characters read from the raw text, with their positions. */
    private static final class Reading {

        private final StringBuilder text = new StringBuilder();
        private final List<int[]> positions = new ArrayList<>();

        void add(char c, int line, int column) {
            text.append(c);
            positions.add(new int[] {line, column});
        }

        /** Positions for the prefix of {@code value} this reading agrees with; folding turns line breaks into spaces. */
        ScalarPositions agreeWith(String value, boolean folded) {
            int n = 0;
            while (n < value.length() && n < text.length()
                    && (value.charAt(n) == text.charAt(n) || folded && value.charAt(n) == ' ' && text.charAt(n) == '\n')) {
                n++;
            }
            int[] lines = new int[n];
            int[] columns = new int[n];
            for (int i = 0; i < n; i++) {
                lines[i] = positions.get(i)[0];
                columns[i] = positions.get(i)[1];
            }
            return new ScalarPositions(lines, columns);
        }
    }
}
