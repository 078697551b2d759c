package dev.plexgate.proxy.testing;

import java.util.List;

/** Just enough JSON writing for the origin's answers; no JSON library is on the test classpath. */
final class Json {

    private Json() {
    }

    static void member(StringBuilder json, String name, String value) {
        string(json, name).append(':');
        string(json, value);
    }

    static void member(StringBuilder json, String name, List<String> values) {
        string(json, name).append(":[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, values.get(i));
        }
        json.append(']');
    }

    /**
     * Header values are ISO-8859-1 text; escaping everything outside printable ASCII keeps each
     * received octet recoverable as one char whatever the reader's charset.
     */
    static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }
}
