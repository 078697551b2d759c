package dev.plexgate.proxy.policy.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Compiles the right side of {@code matches} with RE2/J, a linear-time engine, keeping to what
 * Cloudflare's engine (Rust {@code regex::bytes} with Unicode off) means by the same text. Patterns
 * whose meaning would differ between the two are refused rather than run differently.
 */
final class RegexLiteral {

    /**
     * Largest compiled program accepted, in RE2 instructions: about what fits in wirefilter's 10 MiB
     * compiled-size limit, so nothing accepted here is refused at the edge for its size.
     */
    static final int MAX_PROGRAM_SIZE = 250_000;

    private static final String SUPPORTED_FLAGS = "imsU";

    private RegexLiteral() {
    }

    /**
     * The regex of a quoted literal: every escape is left for the regex engine except {@code \"}
     * outside a class, which is a quote. {@code content} is the source between the quotes.
     */
    static String fromQuoted(String content) {
        StringBuilder out = new StringBuilder(content.length());
        boolean inClass = false;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '\\' && i + 1 < content.length()) {
                char next = content.charAt(++i);
                if (!(next == '"' && !inClass)) {
                    out.append(c);
                }
                out.append(next);
            } else {
                if (c == '[') {
                    inClass = true;
                } else if (c == ']') {
                    inClass = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * @param regex the pattern, one char per byte (the UTF-8 of the source text)
     * @throws IllegalArgumentException saying what is not supported or what RE2/J found wrong
     */
    static Pattern compile(String regex) {
        checkSupported(regex);
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex: " + e.getDescription() + " in '" + e.getPattern() + "'");
        }
        if (pattern.programSize() > MAX_PROGRAM_SIZE) {
            throw new IllegalArgumentException("regex is too large: " + pattern.programSize()
                    + " instructions compiled (limit: " + MAX_PROGRAM_SIZE + ")");
        }
        return pattern;
    }

    private static void checkSupported(String regex) {
        boolean inClass = false;
        boolean caseInsensitive = false;
        boolean nonAscii = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            nonAscii |= c >= 0x80;
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(++i);
                if (next >= '0' && next <= '9' || next == 'k') {
                    throw unsupported("backreferences and octal escapes are not supported by a linear-time engine");
                }
                if (next == 'p' || next == 'P') {
                    throw unsupported("Unicode classes (\\p, \\P) are not supported: the regex runs on bytes");
                }
                if (next == 'Q' || next == 'E') {
                    throw unsupported("\\Q…\\E quoting is not supported by Cloudflare's engine; escape each character");
                }
                nonAscii |= next == 'x' && i + 1 < regex.length() && regex.charAt(i + 1) >= '8';
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '[' && !regex.startsWith("[:", i)) {
                    throw unsupported("nested character classes are not supported; escape '[' inside a class");
                } else if ((c == '&' || c == '-' || c == '~') && i + 1 < regex.length() && regex.charAt(i + 1) == c) {
                    throw unsupported("class set operations (&&, --, ~~) are not supported");
                } else if (c == '[') {
                    i = Math.max(i, regex.indexOf(":]", i) + 1);
                }
            } else if (c == '[') {
                inClass = true;
                if (regex.startsWith("^", i + 1)) {
                    i++;
                }
                if (regex.startsWith("]", i + 1)) {
                    i++; // a ']' first in a class is literal
                }
            } else if (c == '(' && regex.startsWith("?", i + 1)) {
                caseInsensitive |= checkGroup(regex, i + 2);
            }
        }
        if (caseInsensitive && nonAscii) {
            throw unsupported("case-insensitive matching of non-ASCII bytes is not supported (Cloudflare folds ASCII"
                    + " letters only)");
        }
    }

    /** Checks the group opened by {@code (?} before {@code at}; true when it turns on {@code i}. */
    private static boolean checkGroup(String regex, int at) {
        if (regex.startsWith("=", at) || regex.startsWith("!", at) || regex.startsWith("<=", at)
                || regex.startsWith("<!", at)) {
            throw unsupported("look-around is not supported by a linear-time engine");
        }
        if (regex.startsWith("P=", at)) {
            throw unsupported("backreferences and octal escapes are not supported by a linear-time engine");
        }
        if (regex.startsWith("P<", at) || regex.startsWith("<", at)) {
            return false; // a named group
        }
        boolean enablesCaseInsensitive = false;
        boolean negated = false;
        for (int i = at; i < regex.length() && regex.charAt(i) != ')' && regex.charAt(i) != ':'; i++) {
            char flag = regex.charAt(i);
            if (flag == '-') {
                negated = true;
            } else if (SUPPORTED_FLAGS.indexOf(flag) < 0) {
                throw unsupported("regex flag '" + flag + "' is not supported (supported: i, m, s, U)");
            } else if (flag == 'i' && !negated) {
                enablesCaseInsensitive = true;
            }
        }
        return enablesCaseInsensitive;
    }

    private static IllegalArgumentException unsupported(String message) {
        return new IllegalArgumentException("invalid regex: " + message);
    }
}
