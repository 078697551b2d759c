package dev.plexgate.control.allow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A list file's text cut into lines that keep their own terminators, so that lines can be added
 * and removed while every other byte stays as it was. Line {@code n} is the parser's line {@code n}:
 * both split at {@code \r\n}, {@code \r} and {@code \n}.
 */
final class ListLines {

    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final String text;
    private final List<String> lines;

    ListLines(String text) {
        this.text = text;
        this.lines = split(text);
    }

    /** Line {@code number} without its terminator (nor a byte-order mark on the first line). */
    String content(int number) {
        String line = lines.get(number - 1);
        String content = line.substring(0, line.length() - terminator(line).length());
        return number == 1 && content.startsWith(BYTE_ORDER_MARK) ? content.substring(1) : content;
    }

    /** The number {@code line} gets when appended. */
    int nextLineNumber() {
        return lines.size() + 1;
    }

    /** The text with {@code line} added at the end, in the file's line-ending and final-newline conventions. */
    String withAppended(String line) {
        if (text.isEmpty()) {
            return line + "\n";
        }
        return endsWithTerminator() ? text + line + lineEnding() : text + lineEnding() + line;
    }

    /** The text without the given lines; a file that did not end with a newline still does not. */
    String without(Set<Integer> numbers) {
        StringBuilder kept = new StringBuilder(text.length());
        for (int i = 0; i < lines.size(); i++) {
            if (!numbers.contains(i + 1)) {
                kept.append(lines.get(i));
            }
        }
        if (!endsWithTerminator()) {
            kept.setLength(kept.length() - terminator(kept).length());
        }
        return kept.toString();
    }

    private boolean endsWithTerminator() {
        return text.endsWith("\n") || text.endsWith("\r");
    }

    /** The file's own line ending, as its first line has it: a CRLF file stays CRLF. */
    private String lineEnding() {
        for (String line : lines) {
            String terminator = terminator(line);
            if (!terminator.isEmpty()) {
                return terminator;
            }
        }
        return "\n";
    }

    private static String terminator(CharSequence text) {
        int length = text.length();
        if (length >= 2 && text.charAt(length - 2) == '\r' && text.charAt(length - 1) == '\n') {
            return "\r\n";
        }
        if (length >= 1 && (text.charAt(length - 1) == '\n' || text.charAt(length - 1) == '\r')) {
            return String.valueOf(text.charAt(length - 1));
        }
        return "";
    }

    private static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                int end = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
                lines.add(text.substring(start, end));
                start = end;
                i = end;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }
}
