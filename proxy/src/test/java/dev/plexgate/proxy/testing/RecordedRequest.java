package dev.plexgate.proxy.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request head as the origin decoded it.
 *
 * @param method  the request method
 * @param uri     the request target exactly as received
 * @param headers lowercase header name to its values in the order received
 * @param peer    the TCP peer as {@code ip:port}
 */
public record RecordedRequest(String method, String uri, Map<String, List<String>> headers, String peer) {

    public RecordedRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of the header (any case), or {@code null} when absent. */
    public String header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of the header (any case), in the order received. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public boolean hasHeader(String name) {
        return !headerValues(name).isEmpty();
    }
}
