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
import java.util.Optional;

/**
 * What {@code plexgate allow list} shows: each entry with its line, name and comment, a host name's
 * current addresses and, when a running service answers, the bytes sent to its name since the start.
 * Without a running service the traffic column is left out rather than filled with made-up zeros.
 */
public final class EntryListing {

    private static final String NONE = "-";

    private final String listName;
    private final AllowList list;
    private final List<Row> rows;
    private final Optional<ClientTraffic> traffic;

    private EntryListing(String listName, AllowList list, List<Row> rows, Optional<ClientTraffic> traffic) {
        this.listName = listName;
        this.list = list;
        this.rows = rows;
        this.traffic = traffic;
    }

    /**
     * Resolves the host names of {@code list} with {@code addresses}, then holds the rows.
     *
     * @param traffic the running service's counts, or empty
     */
    public static EntryListing of(String listName, AllowList list, HostAddresses addresses,
            Optional<ClientTraffic> traffic) throws InterruptedException {
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
        return new EntryListing(listName, list, rows, traffic);
    }

    /** Aligned columns with a header line; a message instead when the list has no entries. */
    public String table() {
        if (rows.isEmpty()) {
            return list.file() + " has no entries: every request through the tunnel is blocked"
                    + System.lineSeparator();
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(traffic.isPresent() ? List.of("LINE", "ENTRY", "NAME", "SENT", "ADDRESSES", "COMMENT")
                : List.of("LINE", "ENTRY", "NAME", "ADDRESSES", "COMMENT"));
        for (Row row : rows) {
            List<String> line = new ArrayList<>(List.of(String.valueOf(row.line()), row.entry(),
                    row.name() == null ? NONE : row.name()));
            traffic.ifPresent(counts -> line.add(row.name() == null ? NONE
                    : ClientTraffic.humanBytes(counts.sentTo(row.name()))));
            line.add(addresses(row.resolution()));
            line.add(row.comment());
            cells.add(line);
        }
        int[] widths = new int[cells.get(0).size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                row.append(i < line.size() - 1 ? String.format("%-" + widths[i] + "s  ", line.get(i)) : line.get(i));
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
                if (traffic.isPresent() && row.name() != null) {
                    json.writeNumberField("sent_bytes", traffic.get().sentTo(row.name()));
                }
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
