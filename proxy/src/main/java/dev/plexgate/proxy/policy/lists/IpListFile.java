package dev.plexgate.proxy.policy.lists;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A parsed IP list file ({@code allow.list}), before any host name is resolved.
 *
 * <p>One entry a line: an IPv4 or IPv6 address, a CIDR (host bits zero) or a host name, then an optional
 * name such as {@code bob}, then an optional {@code # comment}: {@code 203.0.113.7  bob  # his home}.
 *
 * @param entries  in file order
 * @param warnings lines that are valid but probably not meant (duplicates)
 */
public record IpListFile(Path file, List<IpListEntry> entries, List<ListProblem> warnings) {

    public IpListFile {
        Objects.requireNonNull(file, "file");
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /** Reads and parses {@code file}; every bad line is reported, not just the first. */
    public static IpListFile read(Path file) throws ListException {
        return parse(file, ListText.read(file));
    }

    /** Parses {@code text}; {@code file} only names it in problems. */
    public static IpListFile parse(Path file, String text) throws ListException {
        return IpListParser.parse(file, text);
    }

    /** The host-name entries, which need resolving. */
    public List<IpListEntry.Host> hosts() {
        return entries.stream()
                .filter(IpListEntry.Host.class::isInstance)
                .map(IpListEntry.Host.class::cast)
                .toList();
    }
}
