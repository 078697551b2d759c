package dev.plexgate.proxy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses a {@code Range} header against a representation's size, following RFC 9110 §14.1–14.2. */
final class ByteRanges {

    /** An inclusive, satisfiable byte range. */
    record ByteRange(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    private ByteRanges() {
    }

    /**
     * Returns the satisfiable ranges, an empty list when none is satisfiable (416), or {@code null}
     * when the header is absent or not valid byte-range syntax, which a server must ignore (200).
     */
    static List<ByteRange> parse(String header, long size) {
        if (header == null) {
            return null;
        }
        int equals = header.indexOf('=');
        if (equals < 0 || !header.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return null;
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        int specs = 0;
        for (String rawSpec : header.substring(equals + 1).split(",", -1)) {
            String spec = rawSpec.trim();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed by the #rule syntax
            }
            specs++;
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return null;
            }
            String firstText = spec.substring(0, dash);
            String lastText = spec.substring(dash + 1);
            if (firstText.isEmpty()) {
                if (!isDigits(lastText)) {
                    return null;
                }
                long suffixLength = saturatedParse(lastText);
                if (suffixLength > 0 && size > 0) {
                    satisfiable.add(new ByteRange(Math.max(0, size - suffixLength), size - 1));
                }
                continue;
            }
            if (!isDigits(firstText) || !(lastText.isEmpty() || isDigits(lastText))) {
                return null;
            }
            long first = saturatedParse(firstText);
            long last = lastText.isEmpty() ? Long.MAX_VALUE : saturatedParse(lastText);
            if (last < first) {
                return null; // RFC 9110 §14.1.1: invalid, so the whole header is ignored
            }
            if (first < size) {
                satisfiable.add(new ByteRange(first, Math.min(last, size - 1)));
            }
        }
        return specs == 0 ? null : satisfiable;
    }

    private static boolean isDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Positions beyond {@code Long.MAX_VALUE} are past any size, so saturating keeps them unsatisfiable. */
    private static long saturatedParse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }
}
