package dev.plexgate.proxy.policy.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code wildcard} / {@code strict wildcard} pattern: the whole value must match, {@code *} stands
 * for any run of bytes, {@code \*} and {@code \\} are literal. Matched segment by segment: the first
 * anchors the start, the last the end, the middle ones are found leftmost in order, which is exact
 * for patterns whose only metacharacter is {@code *}. Plain wildcard folds ASCII letters only.
 */
final class WildcardPattern {

    /** The literal pieces between stars; {@code segments.length - 1} stars. */
    private final String[] segments;
    private final boolean caseSensitive;

    private WildcardPattern(String[] segments, boolean caseSensitive) {
        this.segments = segments;
        this.caseSensitive = caseSensitive;
    }

    /**
     * @param pattern the unescaped string literal, one char per byte
     * @throws IllegalArgumentException for {@code **} or a backslash before anything but {@code *} or {@code \}
     */
    static WildcardPattern compile(String pattern, boolean caseSensitive) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        boolean lastWasStar = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 >= pattern.length() || (pattern.charAt(i + 1) != '*' && pattern.charAt(i + 1) != '\\')) {
                    throw new IllegalArgumentException("invalid wildcard pattern: '\\' may only escape '*' or '\\'");
                }
                segment.append(pattern.charAt(++i));
                lastWasStar = false;
            } else if (c == '*') {
                if (lastWasStar) {
                    throw new IllegalArgumentException("invalid wildcard pattern: '**' (one '*' already matches any run)");
                }
                segments.add(fold(segment.toString(), caseSensitive));
                segment.setLength(0);
                lastWasStar = true;
            } else {
                segment.append(c);
                lastWasStar = false;
            }
        }
        segments.add(fold(segment.toString(), caseSensitive));
        return new WildcardPattern(segments.toArray(String[]::new), caseSensitive);
    }

    private static String fold(String segment, boolean caseSensitive) {
        return caseSensitive ? segment : ByteStrings.lowerAscii(segment);
    }

    boolean matches(String value) {
        int last = segments.length - 1;
        if (last == 0) {
            return value.length() == segments[0].length() && regionMatches(value, 0, segments[0]);
        }
        String first = segments[0];
        String tail = segments[last];
        if (value.length() < first.length() + tail.length() || !regionMatches(value, 0, first)
                || !regionMatches(value, value.length() - tail.length(), tail)) {
            return false;
        }
        int from = first.length();
        int limit = value.length() - tail.length();
        for (int i = 1; i < last; i++) {
            int found = indexOf(value, segments[i], from, limit);
            if (found < 0) {
                return false;
            }
            from = found + segments[i].length();
        }
        return true;
    }

    /** Leftmost start of {@code segment} within {@code value[from, limit)}, or -1. */
    private int indexOf(String value, String segment, int from, int limit) {
        for (int start = from; start + segment.length() <= limit; start++) {
            if (regionMatches(value, start, segment)) {
                return start;
            }
        }
        return -1;
    }

    private boolean regionMatches(String value, int offset, String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = value.charAt(offset + i);
            if ((caseSensitive ? c : ByteStrings.foldAscii(c)) != segment.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
