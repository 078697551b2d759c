package dev.plexgate.proxy.events;

import dev.plexgate.proxy.PlexSecrets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The events file's line format: one JSON object per event, fields always present and always in
 * the same order. Hand-written because the proxy carries no JSON library for one flat object.
 */
final class EventJson {

    // Instant.toString drops zero milliseconds; a fixed width sorts and reads better.
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EventJson() {
    }

    /** The event as one line of JSON, without the line end. */
    static String line(SecurityEvent event) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"time\":\"");
        TIME.formatTo(event.time(), json);
        json.append('"');
        field(json, "ray", event.ray());
        field(json, "client", event.client());
        field(json, "country", event.country());
        field(json, "method", event.method());
        field(json, "host", event.host());
        // Again here: whatever built the event, no token reaches the disk.
        field(json, "path", PlexSecrets.redactQuery(event.path()));
        field(json, "user_agent", event.userAgent());
        field(json, "rule", event.rule());
        field(json, "action", event.action().label());
        return json.append(",\"status\":").append(event.status()).append('}').toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append(",\"").append(name).append("\":\"");
        escape(json, value);
        json.append('"');
    }

    /**
     * RFC 8259 string content. Besides what it requires, U+2028 and U+2029 (line ends to
     * JavaScript) and unpaired surrogates (not encodable as UTF-8) are written as escapes.
     */
    static void escape(StringBuilder json, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(json, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        json.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(json, c);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
    }

    private static void unicodeEscape(StringBuilder json, char c) {
        json.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }
}
