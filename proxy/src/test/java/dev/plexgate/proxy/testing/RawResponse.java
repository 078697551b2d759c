package dev.plexgate.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 response as read off the wire by {@link RawHttpClient}.
 *
 * @param status  the status code
 * @param reason  the reason phrase, possibly empty
 * @param headers lowercase header name to its values in the order received
 * @param body    the body: decoded from chunked coding when chunked, otherwise the bytes as sent
 */
public record RawResponse(int status, String reason, Map<String, List<String>> headers, byte[] body) {

    public RawResponse {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
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

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RawResponse[" + status + " " + reason + ", headers=" + headers + ", body=" + body.length + " bytes]";
    }
}
