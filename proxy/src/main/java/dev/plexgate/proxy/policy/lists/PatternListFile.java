package dev.plexgate.proxy.policy.lists;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A parsed pattern list file ({@code bots.list}).
 *
 * <p>One pattern a line: a case-insensitive substring ({@code GPTBot}, spaces inside allowed), or an RE2
 * regular expression written between slashes ({@code /^Silk\//}). {@code #} at the start of a line, or after
 * whitespace outside the slashes of a regular expression, starts a comment; blank lines are ignored.
 *
 * @param patterns in file order
 * @param warnings lines that are valid but probably not meant (duplicates)
 */
public record PatternListFile(Path file, List<UserAgentPattern> patterns, List<ListProblem> warnings) {

    public PatternListFile {
        Objects.requireNonNull(file, "file");
        patterns = List.copyOf(patterns);
        warnings = List.copyOf(warnings);
    }

    /** Reads and parses {@code file}; every bad line is reported, not just the first. */
    public static PatternListFile read(Path file) throws ListException {
        return parse(file, ListText.read(file));
    }

    /** Parses {@code text}; {@code file} only names it in problems. */
    public static PatternListFile parse(Path file, String text) throws ListException {
        return PatternListParser.parse(file, text);
    }
}
