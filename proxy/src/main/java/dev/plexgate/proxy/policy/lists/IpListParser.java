package dev.plexgate.proxy.policy.lists;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.HostNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code allow.list} grammar: {@code entry [name] [# comment]}, whitespace between. */
final class IpListParser {

    private static final String EXPECTED_ENTRY = "expected: an IPv4 or IPv6 address, a CIDR such as 192.0.2.0/24,"
            + " or a host name of letters, digits, '-' and '.'";
    private static final int MAX_NAME_LENGTH = 64;

    private final Path file;
    private final List<IpListEntry> entries = new ArrayList<>();
    private final List<ListProblem> errors = new ArrayList<>();
    private final List<ListProblem> warnings = new ArrayList<>();
    private final Map<Object, Integer> firstLineOf = new HashMap<>();

    private IpListParser(Path file) {
        this.file = file;
    }

    static IpListFile parse(Path file, String text) throws ListException {
        IpListParser parser = new IpListParser(file);
        String[] lines = ListText.lines(text);
        for (int i = 0; i < lines.length; i++) {
            parser.line(i + 1, lines[i]);
        }
        if (!parser.errors.isEmpty()) {
            throw new ListException(parser.errors);
        }
        return new IpListFile(file, parser.entries, parser.warnings);
    }

    private void line(int number, String line) {
        int hash = line.indexOf('#'); // no entry or name can hold '#', so it always starts a comment
        String content = hash < 0 ? line : line.substring(0, hash);
        List<Token> tokens = tokens(content);
        if (tokens.isEmpty()) {
            return;
        }
        if (tokens.size() > 2) {
            Token extra = tokens.get(2);
            errors.add(problem(number, extra.column, "unexpected '" + extra.text
                    + "' after the name (expected: a '# comment' or the end of the line)"));
            return;
        }
        String name = null;
        if (tokens.size() == 2) {
            Token nameToken = tokens.get(1);
            if (!isName(nameToken.text)) {
                errors.add(problem(number, nameToken.column, "invalid name '" + nameToken.text + "' (expected: up to "
                        + MAX_NAME_LENGTH + " letters, digits, '.', '_' or '-', starting with a letter or digit)"));
                return;
            }
            name = nameToken.text;
        }
        Token entryToken = tokens.get(0);
        IpListEntry entry;
        try {
            entry = entry(entryToken.text, name, number);
        } catch (IllegalArgumentException e) {
            errors.add(problem(number, entryToken.column, e.getMessage()));
            return;
        }
        Object key = entry instanceof IpListEntry.Host host ? host.canonicalName() : ((IpListEntry.Network) entry).cidr();
        Integer first = firstLineOf.putIfAbsent(key, number);
        if (first != null) {
            warnings.add(problem(number, entryToken.column, "'" + entryToken.text + "' duplicates line " + first
                    + " (the first one's name labels its traffic)"));
        }
        entries.add(entry);
    }

    private static IpListEntry entry(String text, String name, int line) {
        if (text.indexOf('/') >= 0 || text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || isDigit(c))) {
            return new IpListEntry.Network(Cidr.parse(text), name, line);
        }
        checkHostName(text);
        return new IpListEntry.Host(text, name, line);
    }

    /** A host name as {@link HostNames} checks it; a trailing dot (a fully qualified name) is allowed. */
    private static void checkHostName(String text) {
        String body = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (!body.chars().allMatch(c -> c == '.' || c == '-' || isDigit(c) || isLetter(c))) {
            throw new IllegalArgumentException("'" + text + "' is not an address, CIDR or host name (" + EXPECTED_ENTRY
                    + ")");
        }
        HostNames.check(text, true);
    }

    private static boolean isName(String text) {
        return text.length() <= MAX_NAME_LENGTH
                && (isLetter(text.charAt(0)) || isDigit(text.charAt(0)))
                && text.chars().allMatch(c -> isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '-');
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private ListProblem problem(int line, int column, String message) {
        return new ListProblem(file, line, column, message);
    }

    private static List<Token> tokens(String content) {
        List<Token> tokens = new ArrayList<>(2);
        int i = 0;
        while (i < content.length()) {
            if (ListText.isBlank(content.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < content.length() && !ListText.isBlank(content.charAt(i))) {
                i++;
            }
            tokens.add(new Token(content.substring(start, i), start + 1));
        }
        return tokens;
    }

    private record Token(String text, int column) {
    }
}
