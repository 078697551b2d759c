package dev.plexgate.control.allow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.plexgate.control.allow.HostAddresses.Resolution;
import dev.plexgate.proxy.policy.lists.IpListEntry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code plexgate allow list} shows: each entry with its line, name and comment, and a host
 * name's current addresses. There is no traffic column: the command has no source of per-client
 * counts yet, and a column of made-up zeros would mislead.
 */
public final class EntryListing {

    private static final String NONE = "-";

    private final String listName;
    private final AllowList list;
    private final List<Row> rows;

    private EntryListing(String listName, AllowList list, List<Row> rows) {
        this.listName = listName;
        this.list = list;
        this.rows = rows;
    }

    /** Resolves the host names of {@code list} with {@code addresses}, then holds the rows. */
    public static EntryListing of(String listName, AllowList list, HostAddresses addresses)
            throws InterruptedException {
        List<String> hostNames = list.entries().stream()
                .filter(IpListEntry.Host.class::isInstance)
                .map(entry -> ((IpListEntry.Host) entry).hostName())
                .toList();
        Map<String, Resolution> resolved = addresses.resolve(hostNames);
        List<Row> rows = new ArrayList<>();
        for (IpListEntry entry : list.entries()) {
            Resolution resolution = entry instanceof IpListEntry.Host host ? resolved.get(host.hostName()) : null;
            rows.add(new Row(entry.line(), list.written(entry), entry.name(), list.comment(entry), resolution));
        }
        return new EntryListing(listName, list, rows);
    }

    /** Aligned columns with a header line; a message instead when the list has no entries. */
    public String table() {
        if (rows.isEmpty()) {
            return list.file() + " has no entries: every request through the tunnel is blocked"
                    + System.lineSeparator();
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"LINE", "ENTRY", "NAME", "ADDRESSES", "COMMENT"});
        for (Row row : rows) {
            cells.add(new String[] {String.valueOf(row.line()), row.entry(), row.name() == null ? NONE : row.name(),
                addresses(row.resolution()), row.comment()});
        }
        int[] widths = new int[5];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                row.append(i < line.length - 1 ? String.format("%-" + widths[i] + "s  ", line[i]) : line[i]);
            }
            table.append(row.toString().stripTrailing()).append(System.lineSeparator());
        }
        return table.toString();
    }

    /** One JSON document: the list, its file and its entries, for scripts. */
    public String json() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("list", listName);
            json.writeStringField("file", list.file().toString());
            json.writeArrayFieldStart("entries");
            for (Row row : rows) {
                json.writeStartObject();
                json.writeNumberField("line", row.line());
                json.writeStringField("entry", row.entry());
                json.writeStringField("name", row.name());
                json.writeStringField("comment", row.comment().isEmpty() ? null : row.comment());
                if (row.resolution() != null) {
                    json.writeArrayFieldStart("addresses");
                    for (String address : row.resolution().addresses()) {
                        json.writeString(address);
                    }
                    json.writeEndArray();
                    if (row.resolution().problem() != null) {
                        json.writeStringField("resolution_problem", row.resolution().problem());
                    }
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text + System.lineSeparator();
    }

    private static String addresses(Resolution resolution) {
        if (resolution == null) {
            return "";
        }
        return resolution.problem() != null ? "(" + resolution.problem() + ")" : String.join(", ", resolution.addresses());
    }

    /** @param resolution the host name's addresses, or null for an address or CIDR */
    private record Row(int line, String entry, String name, String comment, Resolution resolution) {
    }
}
