package dev.plexgate.control.allow;

import dev.plexgate.proxy.policy.lists.IpListEntry;
import dev.plexgate.proxy.policy.lists.IpListFile;
import dev.plexgate.proxy.policy.lists.ListException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An IP list file as read: its exact text, and its entries as the proxy's parser sees them. */
public final class AllowList {

    private final Path file;
    private final ListLines lines;
    private final IpListFile parsed;

    private AllowList(Path file, ListLines lines, IpListFile parsed) {
        this.file = file;
        this.lines = lines;
        this.parsed = parsed;
    }

    /** Reads {@code file}; refuses one that the service would refuse too, since editing it would hide that. */
    public static AllowList read(Path file) throws Refusal {
        String text = decode(file);
        try {
            return new AllowList(file, new ListLines(text), IpListFile.parse(file, text));
        } catch (ListException e) {
            throw Refusal.invalid(e.getMessage() + System.lineSeparator() + file
                    + " is invalid as it is; fix it first (plexgate check shows every problem)");
        }
    }

    public Path file() {
        return file;
    }

    public List<IpListEntry> entries() {
        return parsed.entries();
    }

    /** The entry as written on its line, such as {@code 2001:db8::/48}, not a normalised form. */
    public String written(IpListEntry entry) {
        return content(entry).strip().split("[ \t]+", 2)[0];
    }

    /** The text after the line's {@code #}, or empty; the parser drops comments, so they are read here. */
    public String comment(IpListEntry entry) {
        String line = lines.content(entry.line());
        int hash = line.indexOf('#');
        return hash < 0 ? "" : line.substring(hash + 1).strip();
    }

    /** The whole line, without its terminator. */
    public String line(IpListEntry entry) {
        return lines.content(entry.line());
    }

    /** The file's text with {@code entry} appended, or a refusal when it is there already. */
    public Addition add(NewEntry entry) throws Refusal {
        for (IpListEntry existing : entries()) {
            if (sameCoverage(existing, entry.parsed())) {
                throw Refusal.refused(entry.entry() + " is already in " + file + " at line " + existing.line()
                        + ": " + line(existing).strip());
            }
        }
        return new Addition(lines.nextLineNumber(), lines.withAppended(entry.line()));
    }

    /** The entries written as {@code entryOrName}, or named so: a name may cover several lines. */
    public List<IpListEntry> matching(String entryOrName) {
        IpListEntry asEntry = NewEntry.parseAlone(file, entryOrName);
        List<IpListEntry> matches = new ArrayList<>();
        for (IpListEntry existing : entries()) {
            if (entryOrName.equals(existing.name()) || (asEntry != null && sameCoverage(existing, asEntry))) {
                matches.add(existing);
            }
        }
        return matches;
    }

    /** The file's text without the lines of {@code entries}. */
    public String without(List<IpListEntry> entries) {
        Set<Integer> numbers = new LinkedHashSet<>();
        entries.forEach(entry -> numbers.add(entry.line()));
        return lines.without(numbers);
    }

    /**
     * The file's text and the line a new entry lands on.
     *
     * @param lineNumber 1-based line of the new entry
     * @param text       the whole new file
     */
    public record Addition(int lineNumber, String text) {
    }

    private String content(IpListEntry entry) {
        String line = lines.content(entry.line());
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /** The parser's own duplicate rule: the same network, or the same host name in any spelling. */
    private static boolean sameCoverage(IpListEntry a, IpListEntry b) {
        if (a instanceof IpListEntry.Network x && b instanceof IpListEntry.Network y) {
            return x.cidr().equals(y.cidr());
        }
        if (a instanceof IpListEntry.Host x && b instanceof IpListEntry.Host y) {
            return canonical(x.hostName()).equals(canonical(y.hostName()));
        }
        return false;
    }

    private static String canonical(String hostName) {
        String lower = hostName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String decode(Path file) throws Refusal {
        try {
            // Strict, as the service reads it: a stray Latin-1 byte would otherwise be rewritten.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw Refusal.invalid(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw Refusal.invalid(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw Refusal.invalid(file + ": cannot be read: " + e.getMessage());
        }
    }
}
