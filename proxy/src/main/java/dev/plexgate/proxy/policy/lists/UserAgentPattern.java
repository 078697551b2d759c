package dev.plexgate.proxy.policy.lists;

import java.util.Objects;

/**
 * One line of a pattern list.
 *
 * @param text  the substring, or the regular expression without its slashes
 * @param regex true for an RE2 regular expression (written {@code /like this/}, case-sensitive unless it says
 *              {@code (?i)}); false for a case-insensitive substring
 * @param line  1-based line in the list file
 */
public record UserAgentPattern(String text, boolean regex, int line) {

    public UserAgentPattern {
        Objects.requireNonNull(text, "text");
    }

    /** As written in the file. */
    @Override
    public String toString() {
        return regex ? "/" + text + "/" : text;
    }
}
