package dev.plexgate.proxy.policy.lists;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code bots.list} grammar: {@code substring} or {@code /regex/}, then an optional {@code # comment}. */
final class PatternListParser {

    private final Path file;
    private final List<UserAgentPattern> patterns = new ArrayList<>();
    private final List<ListProblem> errors = new ArrayList<>();
    private final List<ListProblem> warnings = new ArrayList<>();
    private final Map<String, Integer> firstLineOf = new HashMap<>();

    private PatternListParser(Path file) {
        this.file = file;
    }

    static PatternListFile parse(Path file, String text) throws ListException {
        PatternListParser parser = new PatternListParser(file);
        String[] lines = ListText.lines(text);
        for (int i = 0; i < lines.length; i++) {
            parser.line(i + 1, lines[i]);
        }
        if (!parser.errors.isEmpty()) {
            throw new ListException(parser.errors);
        }
        return new PatternListFile(file, parser.patterns, parser.warnings);
    }

    private void line(int number, String line) {
        int start = 0;
        while (start < line.length() && ListText.isBlank(line.charAt(start))) {
            start++;
        }
        if (start == line.length() || line.charAt(start) == '#') {
            return;
        }
        UserAgentPattern pattern = line.charAt(start) == '/' ? regex(number, line, start) : substring(number, line, start);
        if (pattern == null) {
            return;
        }
        // Substrings compare case-insensitively, so "GPTBot" and "gptbot" are one pattern.
        String key = pattern.regex() ? pattern.toString() : pattern.text().toLowerCase(Locale.ROOT);
        Integer first = firstLineOf.putIfAbsent(key, number);
        if (first != null) {
            warnings.add(new ListProblem(file, number, start + 1, "'" + pattern + "' duplicates line " + first));
        }
        patterns.add(pattern);
    }

    private UserAgentPattern substring(int number, String line, int start) {
        return new UserAgentPattern(line.substring(start, contentEnd(line, start)), false, number);
    }

    /** The regex ends at the first unescaped '/' followed only by blanks or a comment. */
    private UserAgentPattern regex(int number, String line, int start) {
        for (int close = start + 1; close < line.length(); close++) {
            char c = line.charAt(close);
            if (c == '\\') {
                close++;
            } else if (c == '/' && contentEnd(line, close + 1) == close + 1) {
                String text = line.substring(start + 1, close);
                return compiles(number, start + 2, text) ? new UserAgentPattern(text, true, number) : null;
            }
        }
        errors.add(new ListProblem(file, number, start + 1, "no closing '/' for the regular expression"
                + " (expected: /regex/, then nothing but an optional '# comment')"));
        return null;
    }

    private boolean compiles(int number, int column, String text) {
        if (text.isEmpty()) {
            errors.add(new ListProblem(file, number, column - 1,
                    "empty regular expression (expected: an RE2 pattern between the slashes)"));
            return false;
        }
        try {
            if (Pattern.compile(text).matcher("").find()) {
                errors.add(new ListProblem(file, number, column, "regular expression /" + text
                        + "/ matches the empty string, so it would match every user agent"));
                return false;
            }
            return true;
        } catch (PatternSyntaxException e) {
            errors.add(new ListProblem(file, number, column, "invalid regular expression /" + text + "/: "
                    + e.getDescription() + " (expected: RE2 syntax, https://github.com/google/re2/wiki/Syntax)"));
            return false;
        }
    }

    /**
     * Where the text from {@code from} ends: before a {@code #} that sits right at {@code from} or after a blank
     * (so {@code C#} stays a pattern and {@code /x/# note} is a regex and a comment), trailing blanks trimmed.
     */
    private static int contentEnd(String line, int from) {
        int end = line.length();
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == from || ListText.isBlank(line.charAt(i - 1)))) {
                end = i;
                break;
            }
        }
        while (end > from && ListText.isBlank(line.charAt(end - 1))) {
            end--;
        }
        return end;
    }
}
