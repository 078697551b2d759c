package dev.plexgate.control.allow;

import dev.plexgate.proxy.policy.lists.IpListEntry;
import dev.plexgate.proxy.policy.lists.IpListFile;
import dev.plexgate.proxy.policy.lists.ListException;
import dev.plexgate.proxy.policy.lists.ListProblem;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * An entry to add, validated by parsing the very line that will be written, so it is accepted
 * exactly when the service would accept it.
 *
 * @param entry   the address, CIDR or host name as given
 * @param name    the name that labels its traffic, or null
 * @param comment one line of text, or null
 * @param parsed  what the list parser made of the line
 */
public record NewEntry(String entry, String name, String comment, IpListEntry parsed) {

    /** Validates and builds; {@code file} names the list in messages. */
    public static NewEntry of(Path file, String entry, String name, String comment) throws Refusal {
        checkWord("entry", entry);
        if (name != null) {
            checkWord("name", name);
        }
        if (comment != null && (comment.indexOf('\n') >= 0 || comment.indexOf('\r') >= 0)) {
            throw Refusal.invalid("invalid comment: it must fit on one line");
        }
        String line = line(entry, name, comment);
        try {
            return new NewEntry(entry, name, comment, IpListFile.parse(file, line).entries().get(0));
        } catch (ListException e) {
            // The problems point at line 1 of a one-line text, not at the file: only their messages help.
            throw Refusal.invalid(e.problems().stream().map(ListProblem::message)
                    .map(message -> "invalid entry: " + message)
                    .collect(Collectors.joining(System.lineSeparator())));
        }
    }

    /** The line as written to the file: {@code ENTRY  NAME  # COMMENT}. */
    public String line() {
        return line(entry, name, comment);
    }

    /** {@code text} parsed as a line of its own, or null when it is no entry. */
    static IpListEntry parseAlone(Path file, String text) {
        if (text.isEmpty() || text.chars().anyMatch(c -> c == '#' || Character.isWhitespace(c))) {
            return null;
        }
        try {
            return IpListFile.parse(file, text).entries().get(0);
        } catch (ListException e) {
            return null;
        }
    }

    private static String line(String entry, String name, String comment) {
        StringBuilder line = new StringBuilder(entry);
        if (name != null) {
            line.append("  ").append(name);
        }
        if (comment != null && !comment.isBlank()) {
            line.append("  # ").append(comment.strip());
        }
        return line.toString();
    }

    /** Whitespace or '#' would make the parser read a different line than the one meant. */
    private static void checkWord(String what, String text) throws Refusal {
        if (text.isEmpty()) {
            throw Refusal.invalid("invalid " + what + ": empty");
        }
        if (text.chars().anyMatch(c -> c == '#' || Character.isWhitespace(c))) {
            throw Refusal.invalid("invalid " + what + " '" + text + "': no spaces or '#' allowed (expected: "
                    + ("entry".equals(what) ? "one address, CIDR or host name" : "a single word such as bob") + ")");
        }
    }
}
